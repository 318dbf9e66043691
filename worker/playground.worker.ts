// Worker entry: the only place in worker/ that knows about Comlink.
import * as Comlink from 'comlink';
import { createPlayground } from './sim/playground';

const playground = createPlayground({ host: 'worker' });
void playground.simulation.start();
const { simulation: _sim, ...api } = playground;
Comlink.expose({
  ...api,
  // the page's listener arrives as a Comlink proxy
  subscribe: (listener: Parameters<typeof api.subscribe>[0]) => api.subscribe(listener),
});
