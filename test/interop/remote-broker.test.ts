/**
 * Virtual clients of the simulation connected to real brokers over
 * WebSocket, as in the page (where the link is the browser's WebSocket): our
 * Node host and Debian's mosquitto. The capture sees their frames too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type Host } from '../../worker/node/host';
import { defaultClientConfig } from '../../worker/sim/client-config';
import { Simulation } from '../../worker/sim/simulation';
import { websocketLink } from '../../worker/transport/websocket-link';
import { MOSQUITTO_MISSING, startMosquitto, type Mosquitto } from '../helpers/mosquitto';
import { text } from '../helpers/broker-harness';

let host: Host;
let mosq: Mosquitto | undefined;
const sims: Simulation[] = [];

beforeAll(async () => {
  host = await startHost({ port: 0, wsPort: 0, host: '127.0.0.1', config: { sysInterval: 0 } });
  if (!MOSQUITTO_MISSING) mosq = await startMosquitto();
});

afterAll(async () => {
  for (const s of sims) s.dispose();
  await host.close();
  await mosq?.stop();
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function simulation(): Simulation {
  const sim = new Simulation({
    broker: { sysInterval: 0 },
    schedule: (f) => setTimeout(f, 0),
    remote: (url, name) => websocketLink(new WebSocket(url, 'mqtt') as unknown as globalThis.WebSocket, name),
  });
  sim.onBatch(() => {});
  sims.push(sim);
  return sim;
}

const brokers: [string, () => string | undefined][] = [
  ['our Node host', () => `ws://127.0.0.1:${host.wsPort}/mqtt`],
  ['mosquitto', () => (mosq ? `ws://127.0.0.1:${mosq.wsPort}` : undefined)],
];

describe.each(brokers)('virtual clients on %s over WebSocket', (_name, url) => {
  it.each([4, 5] as const)('MQTT %i: subscribe, publish at QoS 1, and the capture sees it', async (version) => {
    const u = url();
    if (!u) return expect(MOSQUITTO_MISSING).not.toBe('');
    const sim = simulation();
    const tag = `${version}-${Math.random().toString(36).slice(2, 8)}`;
    for (const n of ['sub', 'pub']) {
      sim.createClient({ ...defaultClientConfig(n, `${n}-${tag}`), host: u, version });
      sim.connect(n);
    }
    await waitFor(() => sim.views().every((v) => v.status === 'connected'));
    sim.subscribe('sub', { topicFilter: `remote/${tag}/+`, qos: 1 });
    await waitFor(() => sim.view('sub').subscriptions[0]?.state === 'active');
    sim.publish('pub', { topic: `remote/${tag}/x`, payload: text('over the wire'), qos: 1, retain: false });
    await waitFor(() => sim.messages('sub').some((m) => m.direction === 'received'));
    const got = sim.messages('sub').find((m) => m.direction === 'received')!;
    expect([got.topic, new TextDecoder().decode(got.payload), got.qos]).toEqual([`remote/${tag}/x`, 'over the wire', 1]);
    const frames = sim.capture.range(1, sim.capture.lastSeq + 1).filter((e) => e.kind === 'frame');
    expect(frames.filter((f) => f.kind === 'frame' && f.type === 'publish').map((f) => f.kind === 'frame' && f.link)).toEqual(['pub', 'sub']);
    sim.disconnect('sub');
    sim.disconnect('pub');
  });
});

describe('a remote broker that cannot be reached', () => {
  it('says why, next to the connection', async () => {
    const sim = simulation();
    sim.createClient({ ...defaultClientConfig('nowhere', 'nowhere'), host: 'ws://127.0.0.1:1/mqtt' });
    sim.connect('nowhere');
    await waitFor(() => sim.view('nowhere').lastError !== undefined, 4000);
    expect(sim.view('nowhere').status).toBe('disconnected');
    expect(sim.view('nowhere').lastError).toMatch(/^Could not connect: could not connect to ws:\/\/127\.0\.0\.1:1\/mqtt/);
  });
});
