import { Broker } from '../worker/broker';
import { encode, Framer } from '../worker/protocol';
import { RealClock } from '../worker/time/clock';
import { createLinkPair } from '../worker/transport/link';

const broker = new Broker({ sysInterval: 0 }, new RealClock());
function connect(id: string) {
  const [c, b] = createLinkPair(id);
  broker.accept(b);
  let n = 0; const f = new Framer();
  c.setHandler({ data: (bytes) => { n += f.push(bytes).length; }, close: () => {} });
  c.write(encode({ type: 'connect', protocolName: 'MQTT', protocolVersion: 4, cleanStart: true, keepalive: 0, clientId: id }, 4));
  return { c, count: () => n };
}
const sub = connect('sub');
const pub = connect('pub');
await new Promise((r) => setImmediate(r));
sub.c.write(encode({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'sensor/+/temperature', qos: 0 }] }, 4));
await new Promise((r) => setImmediate(r));
const base = sub.count();
const msg = encode({ type: 'publish', topic: 'sensor/1/temperature', payload: new TextEncoder().encode('{"msg": "17.2"}'), qos: 0, retain: false, dup: false }, 4);
// 100 packets per chunk, like a TCP read
const chunk = new Uint8Array(msg.length * 100);
for (let i = 0; i < 100; i++) chunk.set(msg, i * msg.length);
const N = 2_000_000;
const t0 = performance.now();
for (let i = 0; i < N / 100; i++) {
  pub.c.write(chunk.slice());
  if (i % 100 === 99) await new Promise((r) => setImmediate(r));
}
while (sub.count() - base < N) await new Promise((r) => setImmediate(r));
const dt = performance.now() - t0;
console.log(`${N} routed in ${dt.toFixed(0)} ms: ${Math.round(N / dt * 1000).toLocaleString()} msg/s`);
process.exit(0);
