/**
 * The broker's decisions as the page keeps them: every batch's capture
 * events go into one bounded DecisionLog from the moment the page loads, so
 * the log is complete when the learner opens it. The filter is kept here too,
 * so it survives switching tools.
 */
import { store } from '../store.svelte';
import { DecisionLog, NO_FILTER, type DecisionFilter } from './decision-log';

class Decisions {
  readonly log = new DecisionLog();
  /** Bumped when decisions arrived or were cleared. */
  version = $state(0);
  /** Capture entries the worker left out of its batches (it was too busy): decisions among them are missing. */
  skipped = $state(0);
  filter = $state<DecisionFilter>({ ...NO_FILTER });

  constructor() {
    store.onBatch((b) => {
      if (!b.capture) return;
      if (this.log.add(b.capture.entries)) this.version++;
      if (b.capture.skipped) this.skipped += b.capture.skipped;
    });
  }

  clear(): void {
    this.log.clear();
    this.skipped = 0;
    this.version++;
  }
}

export const decisions = new Decisions();
