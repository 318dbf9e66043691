import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureEntry, CapturedFrame } from '../../../../worker/api';
import { decode, encode, type PublishPacket } from '../../../../worker/protocol';
import { defaultClientConfig, type ClientConfig } from '../../../../worker/sim/client-config';
import { Simulation } from '../../../../worker/sim/simulation';
import { SimClock } from '../../../../worker/time/sim-clock';
import { settle, text } from '../../../helpers/broker-harness';
import { byteBudget, encodings, findAcks, httpEquivalent } from '../../../../src/lib/byte-budget';

let sim: Simulation | undefined;
afterEach(() => sim?.dispose());

/** A simulation on a paused clock; names differ from client ids, as in the page. */
async function scenario(run: (s: Simulation) => void | Promise<void>) {
  const clock = new SimClock(1_000_000, () => 0);
  clock.pause();
  sim = new Simulation({ clock, schedule: () => {}, broker: { sysInterval: 0 } });
  const add = (name: string, o: Partial<ClientConfig> = {}) => {
    sim!.createClient({ ...defaultClientConfig(name, `${name.toLowerCase()}-id`), ...o });
    sim!.connect(name);
  };
  add('Pub');
  add('Sub4', { version: 4 });
  add('Sub5');
  await settle();
  sim.subscribe('Sub4', { topicFilter: 'x/#', qos: 1 });
  sim.subscribe('Sub5', { topicFilter: 'x/+', qos: 2 });
  await settle();
  await run(sim);
  await settle();
  const entries = sim.capture.range(1, Infinity);
  const s = sim;
  const budgetOf = (f: CapturedFrame) => byteBudget(entries, f.seq, decode(s.capture.dissection(f.seq)!.bytes, f.version) as PublishPacket, (name) => `${name.toLowerCase()}-id`);
  const publishes = entries.filter((e): e is CapturedFrame => e.kind === 'frame' && e.type === 'publish');
  return { entries, budgetOf, publishes };
}

const describeFrames = (b: ReturnType<typeof byteBudget>) => b!.frames.map((f) => `${f.role} ${f.link} ${f.dir} ${f.type} ${f.size} = ${f.header} + ${f.payload}`);

describe('byteBudget from the capture of a simulation', () => {
  it('QoS 1: the PUBLISH, its PUBACK, the copies forwarded and their acknowledgements', async () => {
    const { budgetOf, publishes } = await scenario((s) => {
      s.publish('Pub', { topic: 'x/z', payload: text('hello!'), qos: 1, retain: false });
    });
    const b = budgetOf(publishes.find((p) => p.link === 'Pub')!)!;
    expect(describeFrames(b)).toEqual([
      // 30-type byte, remaining length, topic (2 + 3), packet id 2, properties length 1: 10 bytes of header (5.0)
      'publish Pub to-broker publish 16 = 10 + 6',
      'ack Pub to-client puback 4 = 4 + 0',
      'forward Sub5 to-client publish 16 = 10 + 6',
      'forward-ack Sub5 to-broker puback 4 = 4 + 0',
      'forward Sub4 to-client publish 15 = 9 + 6',
      'forward-ack Sub4 to-broker puback 4 = 4 + 0',
    ]);
    expect(b.sender).toEqual({ bytes: 20, payload: 6, header: 14 });
    expect(b.total).toEqual({ bytes: 59, payload: 18, header: 41 });
    expect(b.deliveries).toBe(2);
  });

  it('QoS 2: PUBREC, PUBREL and PUBCOMP on each leg; two messages on the same topic keep apart', async () => {
    const { budgetOf, publishes } = await scenario((s) => {
      s.publish('Pub', { topic: 'x/y', payload: text('one'), qos: 2, retain: false });
      s.publish('Pub', { topic: 'x/y', payload: text('two!'), qos: 2, retain: false });
    });
    const mine = publishes.filter((p) => p.link === 'Pub');
    expect(mine).toHaveLength(2);
    const first = budgetOf(mine[0]!)!;
    const second = budgetOf(mine[1]!)!;
    expect(first.frames.filter((f) => f.link === 'Pub').map((f) => f.type)).toEqual(['publish', 'pubrec', 'pubrel', 'pubcomp']);
    expect(first.frames.filter((f) => f.link === 'Sub5').map((f) => f.type)).toEqual(['publish', 'pubrec', 'pubrel', 'pubcomp']);
    // Sub4 subscribed at QoS 1: its copy is acknowledged with a PUBACK
    expect(first.frames.filter((f) => f.link === 'Sub4').map((f) => f.type)).toEqual(['publish', 'puback']);
    const seqs = (x: typeof first) => new Set(x.frames.map((f) => f.seq));
    for (const s of seqs(first)) expect(seqs(second).has(s)).toBe(false);
    expect(first.frames.filter((f) => f.role === 'forward').every((f) => f.payload === 3)).toBe(true);
    expect(second.frames.filter((f) => f.role === 'forward').every((f) => f.payload === 4)).toBe(true);
  });

  it('QoS 0 has no acknowledgement; a delivered copy is budgeted on its own link', async () => {
    const { budgetOf, publishes } = await scenario((s) => {
      s.publish('Pub', { topic: 'x/q', payload: text('0'), qos: 0, retain: false });
    });
    const b = budgetOf(publishes.find((p) => p.link === 'Pub')!)!;
    expect(b.frames.map((f) => `${f.role} ${f.link}`)).toEqual(['publish Pub', 'forward Sub5', 'forward Sub4']);
    const copy = budgetOf(publishes.find((p) => p.link === 'Sub4')!)!;
    expect(copy.frames.map((f) => `${f.role} ${f.link} ${f.type}`)).toEqual(['publish Sub4 publish']);
  });

  it('is undefined for a seq that is not a PUBLISH of the capture', async () => {
    const { entries } = await scenario(() => {});
    const pkt = { type: 'publish', topic: 'a', qos: 0, retain: false, dup: false, payload: text('') } as PublishPacket;
    expect(byteBudget(entries, 1, pkt, () => undefined)).toBeUndefined();
    expect(byteBudget(entries, 99_999, pkt, () => undefined)).toBeUndefined();
  });
});

describe('findAcks', () => {
  const f = (seq: number, o: Partial<CapturedFrame>): CaptureEntry => ({
    kind: 'frame', seq, link: 'a', dir: 'to-broker', sentAt: 0, wallAt: 0, arrivedAt: undefined, lost: undefined, size: 4, version: 4, type: 'puback',
    text: '', error: undefined, topic: undefined, qos: undefined, packetId: 1, reasonCode: undefined, retain: undefined, dup: false, ...o,
  });

  it('takes a DUP re-send into the flow and stops at a new message with the same identifier', () => {
    const entries = [
      f(1, { type: 'publish', qos: 1, topic: 't' }),
      f(2, { type: 'publish', qos: 1, topic: 't', dup: true }),
      f(3, { type: 'puback', dir: 'to-client', link: 'b' }),
      f(4, { type: 'puback', dir: 'to-client' }),
      f(5, { type: 'publish', qos: 1, topic: 't' }),
      f(6, { type: 'puback', dir: 'to-client' }),
    ];
    expect(findAcks(entries, 0).map((a) => [a.frame.seq, a.resend])).toEqual([[2, true], [4, false]]);
    expect(findAcks(entries.slice(0, 1).concat(entries.slice(4)), 0)).toEqual([]);
  });
});

describe('encodings', () => {
  it('encodes the same message for 3.1.1 and 5.0', () => {
    const p: PublishPacket = { type: 'publish', topic: 'sensor/1/temperature', qos: 1, packetId: 7, retain: false, dup: true, payload: text('{"msg": "17.2"}') };
    const [v4, v5] = encodings(p);
    expect(v4).toEqual({ version: 4, label: 'MQTT 3.1.1', size: encode({ ...p, dup: false }, 4).length, payload: 15, header: 26 });
    // 5.0 adds the property length, one byte for no properties
    expect(v5!.size).toBe(v4!.size + 1);
  });

  it('leaves 5.0 properties out of the 3.1.1 encoding', () => {
    const p: PublishPacket = { type: 'publish', topic: 't', qos: 0, retain: false, dup: false, payload: text('x'), properties: { contentType: 'text/plain' } };
    const [v4, v5] = encodings(p);
    expect(v4!.size).toBe(6);
    expect(v5!.size).toBe(6 + 1 + 1 + 2 + 10);
  });
});

describe('httpEquivalent', () => {
  it('is a POST of the payload to the topic, and a minimal 200', () => {
    const h = httpEquivalent('sensor/1/temperature', text('{"msg": "17.2"}'));
    expect(h.requestHead).toBe('POST /topics/sensor/1/temperature HTTP/1.1\r\nHost: broker.example\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n');
    expect(h.requestBytes).toBe(h.requestHead.length + 15);
    expect(h.response).toBe('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(h.responseBytes).toBe(38);
    expect(h.bytes).toBe(h.requestBytes + 38);
    expect(h.header).toBe(h.bytes - 15);
    expect(h.body).toBe('{"msg": "17.2"}');
  });

  it('picks the content type from the property, the text, or binary data; escapes the topic', () => {
    expect(httpEquivalent('a', text('hi')).requestHead).toContain('Content-Type: text/plain; charset=utf-8\r\n');
    expect(httpEquivalent('a', Uint8Array.of(0, 255)).requestHead).toContain('Content-Type: application/octet-stream\r\n');
    expect(httpEquivalent('a', Uint8Array.of(0, 255)).body).toBe('(2 bytes of binary data)');
    expect(httpEquivalent('a', text('1'), 'text/csv').requestHead).toContain('Content-Type: text/csv\r\n');
    expect(httpEquivalent('home/living room/温度', text('1')).requestHead).toMatch(/^POST \/topics\/home\/living%20room\/%E6%B8%A9%E5%BA%A6 HTTP\/1\.1\r\n/);
  });
});
