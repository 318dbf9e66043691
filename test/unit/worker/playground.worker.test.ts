import * as Comlink from 'comlink';
import { afterEach, expect, it, vi } from 'vitest';
import type { PlaygroundApi } from '../../../worker/api';

// The real worker entry, loaded in Node with a MessageChannel standing in for the worker scope.
const { port1, port2 } = new MessageChannel();
let api: Comlink.Remote<PlaygroundApi> | undefined;

afterEach(() => {
  api?.[Comlink.releaseProxy]();
  port1.close();
  port2.close();
  vi.unstubAllGlobals();
});

it('exposes the playground API through Comlink', async () => {
  vi.stubGlobal('addEventListener', port2.addEventListener.bind(port2));
  vi.stubGlobal('removeEventListener', port2.removeEventListener.bind(port2));
  vi.stubGlobal('postMessage', port2.postMessage.bind(port2));
  port2.start();
  await import('../../../worker/playground.worker');
  api = Comlink.wrap<PlaygroundApi>(port1);
  const status = await api.status();
  expect(status.host).toBe('worker');
  expect(status.versions.map((v) => v.level)).toEqual([3, 4, 5]);
  expect(status.selfCheck.ok).toBe(true);
});
