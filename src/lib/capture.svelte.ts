/**
 * The capture as the page keeps it: every frame and broker decision the
 * worker's batches bring, in order, up to CAPTURE_LIMIT entries (the oldest
 * dropped first), with later news (arrived, lost) applied in place. Like the
 * message store, the array is mutated in place and `version` says when it
 * changed; views redraw at most every REDRAW_MS.
 */
import type { CaptureEntry, CapturedFrame, PlaygroundBatch } from '../../worker/api';
import { redrawSoon } from './redraw';

// 100,000 frames with the broker's decisions between them (one "routed" for every two frames of a QoS 0 message to one subscriber)
export const CAPTURE_LIMIT = 150_000;
/**
 * Capture entries per batch from the worker (setCaptureBatchLimit; the first
 * is the worker's own default): about 12,000 a second, the rest of a flood
 * skipped; up to 60,000 while the packet log, the diagram or the lab is open, so that
 * they show all of 10,000 frames a second with the broker's decisions.
 */
export const CAPTURE_DEFAULT_BATCH = 200;
export const CAPTURE_FOLLOW_BATCH = 1000;

export class CaptureStore {
  /** Entries, oldest first. */
  readonly entries: CaptureEntry[] = [];
  version = $state(0);
  /** Entries the worker recorded but left out of batches (the page could not keep up). */
  skipped = $state(0);
  /** Whether new entries are taken (the packet log's follow/pause does not stop this). */
  recording = $state(true);
  #bySeq = new Map<number, CapturedFrame>();
  readonly #bumpSoon = redrawSoon(() => this.version++);

  ingest(b: PlaygroundBatch): void {
    const c = b.capture;
    if (!c || !this.recording) return;
    for (const e of c.entries) {
      this.entries.push(e);
      if (e.kind === 'frame') this.#bySeq.set(e.seq, e);
    }
    for (const u of c.updates) {
      const f = this.#bySeq.get(u.seq);
      if (f) {
        f.arrivedAt = u.arrivedAt;
        f.lost = u.lost;
      }
    }
    if (this.entries.length > CAPTURE_LIMIT * 1.1) {
      const drop = this.entries.splice(0, this.entries.length - CAPTURE_LIMIT);
      for (const e of drop) if (e.kind === 'frame') this.#bySeq.delete(e.seq);
    }
    if (c.skipped) this.skipped += c.skipped;
    if (c.entries.length || c.updates.length) this.#bumpSoon();
  }

  frame(seq: number): CapturedFrame | undefined {
    return this.#bySeq.get(seq);
  }

  /** Forgets what the page holds (the worker's ring is cleared separately). */
  clear(): void {
    this.entries.length = 0;
    this.#bySeq.clear();
    this.skipped = 0;
    this.version++;
  }
}
