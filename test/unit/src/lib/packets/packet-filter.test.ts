import { describe, expect, it } from 'vitest';
import type { CaptureEntry, CapturedFrame } from '../../../../../worker/api';
import type { BrokerEvent } from '../../../../../src/lib/broker/decision-log';
import {
  ALL_PACKETS, compilePacketQuery, countUpTo, FilteredCapture, frameSummary, indexOfSeq, packetQueryKey, type FilterContext, type PacketQuery,
} from '../../../../../src/lib/packets/packet-filter';

let seq = 0;
function frame(o: Partial<CapturedFrame> = {}): CapturedFrame {
  return {
    kind: 'frame', seq: ++seq, link: 'Sensor 1', dir: 'to-broker', sentAt: 0, wallAt: 0, arrivedAt: undefined, lost: undefined, size: 10, version: 4,
    type: 'publish', text: 'PUBLISH sensor/1/temp QoS 0 (4 B payload)', error: undefined, topic: 'sensor/1/temp', qos: 0, packetId: undefined,
    reasonCode: undefined, retain: false, dup: false, ...o,
  };
}
function event(e: BrokerEvent, link = 'clientId' in e ? e.clientId : ''): CaptureEntry {
  return { kind: 'event', seq: ++seq, at: 0, wallAt: 0, link, text: `english: ${e.kind}`, event: e };
}

const ctx: FilterContext = { clientIdOf: (name) => ({ 'Sensor 1': 'sensor-1', Dashboard: 'dash' })[name], eventText: (e) => `translated ${e.kind}` };
const q = (p: Partial<PacketQuery>): PacketQuery => ({ ...ALL_PACKETS, ...p });
const pass = (query: Partial<PacketQuery>, e: CaptureEntry) => (compilePacketQuery(q(query), ctx) ?? (() => true))(e);

describe('compilePacketQuery', () => {
  it('passes everything without a filter', () => {
    expect(compilePacketQuery(ALL_PACKETS, ctx)).toBeNull();
  });

  it('filters frames by connection name and decisions by its client identifier', () => {
    expect(pass({ client: 'Sensor 1' }, frame())).toBe(true);
    expect(pass({ client: 'Dashboard' }, frame())).toBe(false);
    expect(pass({ client: 'Sensor 1' }, event({ kind: 'session-resumed', clientId: 'sensor-1' }))).toBe(true);
    expect(pass({ client: 'Dashboard' }, event({ kind: 'session-resumed', clientId: 'sensor-1' }))).toBe(false);
    expect(pass({ client: 'Sensor 1' }, event({ kind: 'routed', from: 'sensor-1', topic: 'a', qos: 0, retain: false, receivers: 1 }, 'sensor-1'))).toBe(true);
  });

  it('filters by packet type, malformed ones included, or by malformed alone', () => {
    const bad = frame({ error: 'Malformed Packet: QoS 3', text: 'PUBLISH: Malformed Packet: QoS 3', topic: undefined });
    expect(pass({ type: 'publish' }, frame())).toBe(true);
    expect(pass({ type: 'publish' }, bad)).toBe(true);
    expect(pass({ type: 'puback' }, frame())).toBe(false);
    expect(pass({ type: 'malformed' }, bad)).toBe(true);
    expect(pass({ type: 'malformed' }, frame())).toBe(false);
    // the type is about frames: decisions follow their own switch
    expect(pass({ type: 'puback' }, event({ kind: 'retained', topic: 'a', cleared: false }))).toBe(true);
  });

  it.each([
    ['sensor/+/temp', 'sensor/1/temp', true],
    ['sensor/+/temp', 'sensor/1/humidity', false],
    ['sensor/#', 'sensor', true],
    ['sensor/#', 'sensor/1/temp', true],
    ['+/1/#', 'sensor/1/temp', true],
    ['#', '$SYS/broker/uptime', false],
    ['temp', 'sensor/1/temp', true],
    ['Temp', 'sensor/1/temp', false],
  ])('topic %s on %s: %s', (topic, t, expected) => {
    expect(pass({ topic }, frame({ topic: t }))).toBe(expected);
    expect(pass({ topic }, event({ kind: 'routed', from: 'x', topic: t, qos: 0, retain: false, receivers: 0 }))).toBe(expected);
  });

  it('lets only entries with a topic through a topic filter; an invalid filter filters nothing', () => {
    expect(pass({ topic: '#' }, frame({ type: 'pingreq', topic: undefined, text: 'PINGREQ' }))).toBe(false);
    expect(pass({ topic: '#' }, event({ kind: 'session-resumed', clientId: 'a' }))).toBe(false);
    expect(compilePacketQuery(q({ topic: 'a/#/b' }), ctx)).toBeNull();
  });

  it('finds text in the summary, the client, and the decision as shown or in English, ignoring case', () => {
    expect(pass({ text: 'qos 0' }, frame())).toBe(true);
    expect(pass({ text: 'SENSOR 1' }, frame({ text: 'PINGREQ' }))).toBe(true);
    expect(pass({ text: 'puback' }, frame())).toBe(false);
    expect(pass({ text: 'TRANSLATED retained' }, event({ kind: 'retained', topic: 'a', cleared: false }))).toBe(true);
    expect(pass({ text: 'english' }, event({ kind: 'retained', topic: 'a', cleared: false }))).toBe(true);
  });

  it('keeps the searched text of each entry for the next query', () => {
    const searchCache = new WeakMap<CaptureEntry, string>();
    let said = 0;
    const counting: FilterContext = { ...ctx, searchCache, eventText: (e) => (said++, `translated ${e.kind}`) };
    const e = event({ kind: 'retained', topic: 'a', cleared: false });
    expect(compilePacketQuery(q({ text: 'tr' }), counting)!(e)).toBe(true);
    expect(compilePacketQuery(q({ text: 'tra' }), counting)!(e)).toBe(true);
    expect(compilePacketQuery(q({ text: 'trx' }), counting)!(e)).toBe(false);
    expect(said).toBe(1);
  });

  it('hides decisions when asked, frames stay', () => {
    expect(pass({ decisions: false }, event({ kind: 'retained', topic: 'a', cleared: false }))).toBe(false);
    expect(pass({ decisions: false }, frame())).toBe(true);
  });

  it('names every query by all of its parts', () => {
    expect(packetQueryKey(q({ text: 'a' }))).not.toBe(packetQueryKey(q({ topic: 'a' })));
    expect(packetQueryKey(q({ decisions: false }))).not.toBe(packetQueryKey(ALL_PACKETS));
  });
});

describe('FilteredCapture', () => {
  const test = compilePacketQuery(q({ type: 'publish' }), ctx);
  const key = packetQueryKey(q({ type: 'publish' }));

  it('is the capture itself without a filter', () => {
    const source = [frame(), frame()];
    expect(new FilteredCapture().update(source, null, '')).toBe(source);
  });

  it('tests only what arrived since, and drops what the capture dropped', () => {
    const source: CaptureEntry[] = [frame(), frame({ type: 'puback', topic: undefined }), frame()];
    const f = new FilteredCapture();
    const calls: number[] = [];
    const counting = (e: CaptureEntry) => (calls.push(e.seq), test!(e));
    const first = f.update(source, counting, key);
    expect(first.map((e) => e.seq)).toEqual([source[0]!.seq, source[2]!.seq]);
    source.push(frame(), frame({ type: 'pingreq', topic: undefined }));
    calls.length = 0;
    const next = f.update(source, counting, key);
    expect(next).toBe(first);
    expect(calls).toEqual([source[3]!.seq, source[4]!.seq]);
    expect(next.map((e) => e.seq)).toEqual([source[0]!.seq, source[2]!.seq, source[3]!.seq]);
    // the capture drops its oldest two
    source.splice(0, 2);
    expect(f.update(source, counting, key).map((e) => e.seq)).toEqual([source[0]!.seq, source[1]!.seq]);
  });

  it('filters everything again for a new query, and empties with the capture', () => {
    const source: CaptureEntry[] = [frame(), frame({ type: 'puback', topic: undefined })];
    const f = new FilteredCapture();
    expect(f.update(source, test, key)).toHaveLength(1);
    const acks = compilePacketQuery(q({ type: 'puback' }), ctx);
    expect(f.update(source, acks, 'acks').map((e) => (e as CapturedFrame).type)).toEqual(['puback']);
    source.length = 0;
    expect(f.update(source, acks, 'acks')).toEqual([]);
    source.push(frame({ type: 'puback', topic: undefined }));
    expect(f.update(source, acks, 'acks')).toHaveLength(1);
  });

  it('keeps up with 100,000 entries arriving 1,000 at a time', () => {
    const source: CaptureEntry[] = [];
    const f = new FilteredCapture();
    const t0 = performance.now();
    let shown: CaptureEntry[] = [];
    for (let b = 0; b < 100; b++) {
      for (let i = 0; i < 1000; i++) source.push(frame({ type: i % 2 ? 'publish' : 'puback' }));
      shown = f.update(source, test, key);
    }
    expect(shown).toHaveLength(50_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('seq search', () => {
  const items = [{ seq: 2 }, { seq: 5 }, { seq: 9 }];
  it.each([[0, 0], [2, 0], [3, 1], [5, 1], [9, 2], [10, 3]])('first index with seq >= %i is %i', (s, i) => {
    expect(indexOfSeq(items, s)).toBe(i);
  });
  it('counts the entries up to a seq', () => {
    expect(countUpTo(items, 5)).toBe(2);
    expect(countUpTo(items, 1)).toBe(0);
    expect(countUpTo(items, 100)).toBe(3);
  });
});

describe('frameSummary', () => {
  it('leaves out the packet type, which has its own column', () => {
    expect(frameSummary(frame())).toBe('sensor/1/temp QoS 0 (4 B payload)');
    expect(frameSummary(frame({ type: 'publish', text: 'PUBLISH: Malformed Packet: QoS 3' }))).toBe('Malformed Packet: QoS 3');
    expect(frameSummary(frame({ type: 'pingreq', text: 'PINGREQ' }))).toBe('PINGREQ');
    expect(frameSummary(frame({ type: undefined, text: 'Malformed: reserved type 0' }))).toBe('Malformed: reserved type 0');
  });
});
