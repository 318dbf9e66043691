import { describe, expect, it } from 'vitest';
import { Broker } from '../../../../worker/broker';
import { encode, type Packet, type ProtocolVersion } from '../../../../worker/protocol';
import { Capture, type CaptureBatch, type CaptureOptions, type CapturedFrame } from '../../../../worker/sim/capture';
import { NetworkPath } from '../../../../worker/sim/network';
import { VirtualClock } from '../../../../worker/time/clock';
import { settle, TestClient, text } from '../../../helpers/broker-harness';
import { concatBytes } from '../../../helpers/bytes';

const pingreq = encode({ type: 'pingreq' }, 4);
const publish = (topic: string, payload = 'x', qos: 0 | 1 = 0, packetId?: number) =>
  encode({ type: 'publish', topic, payload: text(payload), qos, retain: false, dup: false, packetId } as Packet, 4);
const concat = (...parts: Uint8Array[]) => concatBytes(parts);

/** A capture whose batches are flushed by hand, and one tap on it. */
function setup(o: CaptureOptions = {}, version: ProtocolVersion = 4) {
  const flushes: (() => void)[] = [];
  const capture = new Capture({ schedule: (f) => flushes.push(f), wallClock: () => 42, ...o });
  const batches: CaptureBatch[] = [];
  capture.onBatch((b) => batches.push(b));
  const tap = capture.tap('alice', () => version);
  const seqs = (r: number | number[]) => (typeof r === 'number' ? [r] : r);
  const frame = (seq: number) => capture.entry(seq) as CapturedFrame;
  return { capture, tap, batches, seqs, frame, flush: () => flushes.splice(0).forEach((f) => f()) };
}

describe('Capture', () => {
  it('numbers every frame, one after the other, with its link, direction and times', () => {
    const { capture, tap, seqs, frame } = setup();
    expect(capture.lastSeq).toBe(0);
    expect(seqs(tap.sent('to-broker', pingreq, 1000))).toEqual([1]);
    expect(seqs(tap.sent('to-client', encode({ type: 'pingresp' }, 4), 1005))).toEqual([2]);
    expect(seqs(tap.sent('to-broker', publish('a/b', 'hi'), 1010))).toEqual([3]);
    expect(capture.lastSeq).toBe(3);
    expect(capture.size).toBe(3);
    expect(frame(1)).toMatchObject({ kind: 'frame', seq: 1, link: 'alice', dir: 'to-broker', sentAt: 1000, wallAt: 42, size: 2, type: 'pingreq', version: 4 });
    expect(frame(2)).toMatchObject({ seq: 2, dir: 'to-client', type: 'pingresp' });
    expect(frame(3)).toMatchObject({ seq: 3, type: 'publish', topic: 'a/b', qos: 0, text: expect.stringContaining('PUBLISH a/b') });
    expect(capture.entry(0)).toBeUndefined();
    expect(capture.entry(4)).toBeUndefined();
  });

  it('frames a packet split across writes once it is whole, and gives it the completing write', () => {
    const { tap, seqs, frame, capture } = setup();
    const p = publish('split/topic', 'payload');
    expect(seqs(tap.sent('to-broker', p.subarray(0, 1), 1))).toEqual([]);
    expect(seqs(tap.sent('to-broker', p.subarray(1, 5), 2))).toEqual([]);
    const done = seqs(tap.sent('to-broker', p.subarray(5), 3));
    expect(done).toEqual([1]);
    expect(frame(1)).toMatchObject({ type: 'publish', topic: 'split/topic', size: p.length, sentAt: 3 });
    expect(capture.dissection(1)!.bytes).toEqual(p);
    // arrival of the completing write marks the frame
    tap.arrived(done.length === 1 ? done[0]! : done, 9);
    expect(frame(1).arrivedAt).toBe(9);
  });

  it('frames coalesced writes into one entry per packet, and marks them all on arrival or loss', () => {
    const { tap, seqs, frame } = setup();
    const a = publish('one');
    const b = publish('two');
    const c = publish('three');
    // two and a half packets, then the rest
    const first = tap.sent('to-client', concat(a, b, c.subarray(0, 3)), 10);
    expect(seqs(first)).toEqual([1, 2]);
    const second = tap.sent('to-client', c.subarray(3), 11);
    expect(seqs(second)).toEqual([3]);
    tap.arrived(first, 20);
    tap.lost(second, 21, 'the link was cut');
    expect([frame(1), frame(2), frame(3)].map((f) => [f.topic, f.arrivedAt, f.lost])).toEqual([
      ['one', 20, undefined],
      ['two', 20, undefined],
      ['three', undefined, 'the link was cut'],
    ]);
    // each direction of each tap frames on its own
    const other = setup().capture.tap('bob', () => 4);
    expect(other.sent('to-broker', pingreq, 0)).toBeDefined();
  });

  it('keeps framing state per direction', () => {
    const { tap, seqs, frame } = setup();
    const p = publish('half');
    tap.sent('to-broker', p.subarray(0, 4), 0);
    expect(seqs(tap.sent('to-client', pingreq, 1))).toEqual([1]);
    expect(seqs(tap.sent('to-broker', p.subarray(4), 2))).toEqual([2]);
    expect(frame(2).topic).toBe('half');
  });

  it('records bytes that do not decode, with their error', () => {
    const { tap, seqs, frame, capture } = setup();
    // a whole frame whose packet type 0 is reserved
    expect(seqs(tap.sent('to-broker', Uint8Array.of(0x00, 0x00), 0))).toEqual([1]);
    expect(frame(1)).toMatchObject({ type: undefined, error: expect.any(String), size: 2 });
    expect(frame(1).text).toMatch(/^Malformed/);
    // a PUBLISH whose topic length runs past its end
    expect(seqs(tap.sent('to-broker', Uint8Array.of(0x30, 0x03, 0x00, 0x09, 0x61), 0))).toEqual([2]);
    expect(frame(2)).toMatchObject({ type: 'publish', error: expect.any(String), topic: undefined });
    // its dissection still covers the bytes
    expect(capture.dissection(2)!.bytes).toEqual(Uint8Array.of(0x30, 0x03, 0x00, 0x09, 0x61));
  });

  it('records what cannot be framed as it came, after the packets before it, and frames afresh', () => {
    const { tap, seqs, frame, capture } = setup();
    const garbage = Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01); // a Remaining Length of five bytes
    const r = seqs(tap.sent('to-broker', concat(pingreq, garbage), 0));
    expect(r).toEqual([1, 2]);
    expect(frame(1)).toMatchObject({ type: 'pingreq', size: 2, error: undefined });
    expect(frame(2)).toMatchObject({ size: garbage.length, error: expect.stringMatching(/Remaining Length/) });
    expect(frame(2).text).toMatch(/^Malformed: .*Remaining Length/);
    expect(capture.dissection(2)!.bytes).toEqual(garbage);
    // a partial packet before the garbage is not repeated either
    const p = publish('before');
    tap.sent('to-broker', p.subarray(0, 3), 1);
    expect(seqs(tap.sent('to-broker', concat(p.subarray(3), garbage), 2))).toEqual([3, 4]);
    expect(frame(3)).toMatchObject({ type: 'publish', topic: 'before' });
    expect(capture.dissection(4)!.bytes).toEqual(garbage);
    // the next write is framed from scratch
    expect(seqs(tap.sent('to-broker', pingreq, 3))).toEqual([5]);
    expect(frame(5).type).toBe('pingreq');
  });

  it('keeps the newest entries in a ring of fixed capacity', () => {
    const { capture, tap } = setup({ capacity: 5 });
    for (let i = 1; i <= 8; i++) tap.sent('to-broker', publish(`t/${i}`), i);
    expect(capture.lastSeq).toBe(8);
    expect(capture.size).toBe(5);
    expect(capture.entry(3)).toBeUndefined();
    expect(capture.dissection(3)).toBeUndefined();
    expect(capture.range(1, 100).map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(capture.range(6, 8).map((e) => e.seq)).toEqual([6, 7]);
    expect(capture.rawFrames().map((f) => f.frame.topic)).toEqual(['t/4', 't/5', 't/6', 't/7', 't/8']);
    // an arrival for an entry already overwritten is ignored
    capture.tap('alice', () => 4).arrived(2, 99);
    expect(capture.range(1, 100).every((e) => e.kind === 'frame' && e.arrivedAt === undefined)).toBe(true);
  });

  it('changes capacity, keeping the newest entries that fit', () => {
    const { capture, tap } = setup({ capacity: 200 });
    for (let i = 1; i <= 250; i++) tap.sent('to-broker', publish(`t/${i}`), i);
    expect(capture.range(0, 1000).map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => 51 + i));
    capture.setCapacity(100);
    expect(capture.capacity).toBe(100);
    expect(capture.size).toBe(100);
    expect(capture.range(0, 1000).map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 151 + i));
    expect((capture.entry(250) as CapturedFrame).topic).toBe('t/250');
    capture.setCapacity(1000);
    expect(capture.range(0, 1000)).toHaveLength(100);
    for (let i = 251; i <= 400; i++) tap.sent('to-broker', publish(`t/${i}`), i);
    expect(capture.range(0, 1000).map((e) => e.seq)).toEqual(Array.from({ length: 250 }, (_, i) => 151 + i));
    expect(() => capture.setCapacity(99)).toThrow(RangeError);
    expect(() => capture.setCapacity(1.5)).toThrow(RangeError);
  });

  it('clear empties the ring and keeps numbering', () => {
    const { capture, tap, seqs } = setup();
    tap.sent('to-broker', pingreq, 0);
    tap.sent('to-broker', pingreq, 0);
    capture.clear();
    expect(capture.size).toBe(0);
    expect(capture.range(0, 100)).toEqual([]);
    expect(capture.entry(1)).toBeUndefined();
    expect(seqs(tap.sent('to-broker', pingreq, 0))).toEqual([3]);
    expect(capture.size).toBe(1);
  });

  it('sends batches when scheduled; an entry carries its arrival until announced, then updates do', () => {
    const { capture, tap, batches, flush } = setup();
    const r1 = tap.sent('to-broker', pingreq, 0);
    const r2 = tap.sent('to-broker', publish('a'), 0);
    tap.arrived(r1, 5);
    expect(batches).toEqual([]);
    flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.entries.map((e) => [e.seq, e.kind === 'frame' ? e.arrivedAt : null])).toEqual([
      [1, 5],
      [2, undefined],
    ]);
    expect(batches[0]!.updates).toEqual([]);
    expect(batches[0]!.skipped).toBe(0);
    tap.lost(r2, 7, 'the link was cut while it was on its way');
    flush();
    expect(batches[1]).toEqual({ entries: [], updates: [{ seq: 2, arrivedAt: undefined, lost: 'the link was cut while it was on its way' }], skipped: 0 });
    // nothing new: no batch
    capture.flush();
    expect(batches).toHaveLength(2);
  });

  it('limits a batch to the newest entries and counts the skipped ones, which stay in the ring', () => {
    const { capture, tap, batches, flush } = setup({ batchLimit: 10 });
    for (let i = 1; i <= 15; i++) tap.sent('to-broker', publish(`t/${i}`), i);
    flush();
    expect(batches[0]!.entries.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(batches[0]!.skipped).toBe(5);
    expect(capture.entry(1)).toBeDefined();
    // a long burst before the UI reads: still bounded, still counted
    for (let i = 16; i <= 60; i++) tap.sent('to-broker', publish(`t/${i}`), i);
    flush();
    expect(batches[1]!.entries.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 51 + i));
    expect(batches[1]!.skipped).toBe(35);
    expect(capture.range(16, 61)).toHaveLength(45);
  });

  it('takes a new batch limit for the next batch, and refuses one out of range', () => {
    const { capture, tap, batches, flush } = setup({ batchLimit: 10 });
    capture.setBatchLimit(20);
    for (let i = 1; i <= 25; i++) tap.sent('to-broker', publish(`t/${i}`), i);
    flush();
    expect(batches[0]!.entries).toHaveLength(20);
    expect(batches[0]!.skipped).toBe(5);
    for (const bad of [9, 10_001, 1.5, Number.NaN]) expect(() => capture.setBatchLimit(bad)).toThrow(RangeError);
    expect(capture.batchLimit).toBe(20);
  });

  it('records nothing while disabled', () => {
    const { capture, tap, seqs } = setup();
    capture.enabled = false;
    expect(seqs(tap.sent('to-broker', pingreq, 0))).toEqual([]);
    capture.event({ kind: 'retained', topic: 'a', cleared: false, at: 0 });
    expect(capture.lastSeq).toBe(0);
  });

  it('dissects one frame by seq, on demand', () => {
    const { capture, tap } = setup({}, 5);
    const p = encode({ type: 'publish', topic: 'sensor/1/temperature', payload: text('17.2'), qos: 1, packetId: 7, retain: true, dup: false, properties: { contentType: 'text/plain' } }, 5);
    tap.sent('to-broker', p, 0);
    capture.event({ kind: 'retained', topic: 'sensor/1/temperature', cleared: false, at: 0 });
    const d = capture.dissection(1)!;
    expect(d.frame).toMatchObject({ seq: 1, type: 'publish', topic: 'sensor/1/temperature', qos: 1, packetId: 7, retain: true, dup: false, version: 5 });
    expect(d.bytes).toEqual(p);
    expect(d.tree).toMatchObject({ name: 'PUBLISH', start: 0, end: p.length });
    expect(capture.dissection(2)).toBeUndefined(); // an event has no bytes
    expect(capture.dissection(3)).toBeUndefined();
  });

  it('interleaves the broker\'s decisions with the frames that caused them', async () => {
    const clock = new VirtualClock(1_000_000);
    const capture = new Capture({ schedule: () => {} });
    const broker = new Broker({ sysInterval: 0 }, clock);
    broker.on((e) => capture.event(e));
    const open = (name: string) => {
      const path = new NetworkPath<number | number[]>(clock, name, capture.tap(name, () => 5));
      broker.accept(path.brokerEnd);
      return new TestClient(path.clientEnd, 5);
    };
    const alice = await open('alice').connect({ clientId: 'alice' });
    const bob = await open('bob').connect({ clientId: 'bob' });
    bob.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'news', qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 0 }] });
    await bob.expect({ type: 'suback' });
    alice.send({ type: 'publish', topic: 'news', payload: text('hello'), qos: 0, retain: false, dup: false });
    await bob.expect({ type: 'publish', topic: 'news' });
    await settle();

    const rows = capture.range(1, 1000).map((e) => (e.kind === 'frame' ? `${e.link} ${e.dir} ${e.type}` : `event ${e.event.kind} ${e.link}`));
    // each decision lands between the frame that caused it and what follows, in the order the broker made them
    expect(rows).toEqual([
      'alice to-broker connect',
      'event session-created alice',
      'alice to-client connack',
      'event client-connected alice',
      'bob to-broker connect',
      'event session-created bob',
      'bob to-client connack',
      'event client-connected bob',
      'bob to-broker subscribe',
      'event subscribed bob',
      'bob to-client suback',
      'alice to-broker publish',
      'bob to-client publish',
      'event routed alice',
    ]);
    const routed = capture.range(1, 1000).find((e) => e.kind === 'event' && e.event.kind === 'routed')!;
    expect(routed).toMatchObject({ kind: 'event', at: 1_000_000, text: expect.stringContaining('routed to 1 subscriber') });
    // every frame arrived on the virtual clock
    expect(capture.rawFrames().every((f) => f.frame.arrivedAt === 1_000_000)).toBe(true);
    broker.close();
  });
});
