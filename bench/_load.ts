import { Simulation } from '../worker/sim/simulation';
import { runLoad } from '../worker/sim/load';
const sim = new Simulation({ broker: { sysInterval: 0 } });
sim.onBatch(() => {});
await sim.start(); if (process.env.NOCAP) sim.capture.enabled = false;
for (let k = 0; k < 3; k++) {
  const r = await runLoad(sim, { publishers: 100, topic: 'sensor/{i}/temperature', filter: 'sensor/+/temperature', qos: 0, messagesPerPublisher: 5000, payloadBytes: 16, version: 4 });
  console.log(r);
}
sim.dispose();
process.exit(0);
