// Worker entry: the only place in worker/ that knows about Comlink.
import * as Comlink from 'comlink';
import type { PlaygroundApi } from './api';
import { createPlayground } from './sim/playground';
import { openStorage } from './sim/storage';
import { websocketLink } from './transport/websocket-link';

/*
 * Storage opens asynchronously, but the API is exposed at once so that no
 * call from the page is lost: every call waits until the playground is ready.
 */
const ready = (async () => {
  const storage = await openStorage();
  const playground = createPlayground({
    host: 'worker',
    store: storage.broker,
    workspace: storage.workspace,
    storage: { kind: storage.kind, notice: storage.notice },
    // a real broker over WebSocket (ws:// or wss://, path included), subprotocol mqtt
    remote: (url, name) => websocketLink(new WebSocket(url, 'mqtt'), name),
  });
  await playground.simulation.start();
  return playground;
})();

const api = new Proxy({} as Record<string, unknown>, {
  get(_target, method: string) {
    if (method === 'then') return undefined; // not a thenable
    return async (...args: unknown[]) => {
      const pg = (await ready) as unknown as Record<string, (...a: unknown[]) => unknown>;
      const f = pg[method];
      if (typeof f !== 'function') throw new Error(`the playground has no method "${method}"`);
      return f(...args);
    };
  },
}) as unknown as PlaygroundApi;

Comlink.expose(api);
