/**
 * The page's one connection to the worker: the only `new Worker` and
 * `Comlink.wrap` in the UI.
 */
import * as Comlink from 'comlink';
import type { PlaygroundApi } from '../../worker/api';

let remote: Comlink.Remote<PlaygroundApi> | undefined;

export function playground(): Comlink.Remote<PlaygroundApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../worker/playground.worker.ts', import.meta.url), { type: 'module', name: 'mqtt-playground' });
    remote = Comlink.wrap<PlaygroundApi>(worker);
  }
  return remote;
}

/** Calls `listener` with every batch the worker sends (at most one per animation frame). */
export function onBatch(listener: (batch: import('../../worker/api').PlaygroundBatch) => void): void {
  void playground().subscribe(Comlink.proxy(listener));
}
