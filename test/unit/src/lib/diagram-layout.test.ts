import { describe, expect, it } from 'vitest';
import type { CaptureEntry, CapturedFrame } from '../../../../worker/api';
import type { CapturedEvent } from '../../../../worker/sim/capture';
import {
  arrowText, arrowWords, defaultLanes, DiagramBuilder, laneOrder, layoutDiagram, METRICS, seenLinks, visibleWindow, type LayoutInput,
} from '../../../../src/lib/diagram-layout';
import { arrowGeometry, diagramSvg, groupGeometry, spanGeometry, thinTicks, type SvgPalette } from '../../../../src/lib/diagram-svg';

const M = METRICS;
let nextSeq = 1;

/** A captured frame that arrived at once unless told otherwise. */
function frame(link: string, dir: 'up' | 'down', type: NonNullable<CapturedFrame['type']>, at: number, more: Partial<CapturedFrame> = {}): CapturedFrame {
  return {
    kind: 'frame', seq: nextSeq++, link, dir: dir === 'up' ? 'to-broker' : 'to-client', sentAt: at, wallAt: at, arrivedAt: at, lost: undefined,
    size: 2, version: 4, type, text: type.toUpperCase(), error: undefined, topic: undefined, qos: undefined, packetId: undefined,
    reasonCode: undefined, retain: undefined, dup: undefined, ...more,
  };
}

const publish = (link: string, dir: 'up' | 'down', at: number, qos: 0 | 1 | 2, packetId?: number, more: Partial<CapturedFrame> = {}) =>
  frame(link, dir, 'publish', at, { topic: 'sensor/1/temperature', qos, packetId, retain: false, dup: false, ...more });

function event(at: number, e: CapturedEvent['event']): CapturedEvent {
  return { kind: 'event', seq: nextSeq++, at, wallAt: at, link: 'clientId' in e ? e.clientId : '', text: '', event: e };
}

const layout = (entries: CaptureEntry[], clients: string[], more: Partial<LayoutInput> = {}) => layoutDiagram({ entries, clients, ...more });
const row = (band: number, r: number, bandTops: number[]) => bandTops[band]! + (r + 0.5) * M.rowGap;

describe('lanes', () => {
  it('orders clients by first appearance, keeps about 8 lanes, and puts the broker in the middle', () => {
    const entries = [frame('B', 'up', 'connect', 0), frame('A', 'up', 'connect', 1), frame('B', 'down', 'connack', 1), frame('C', 'up', 'connect', 2)];
    expect(seenLinks(entries)).toEqual(['B', 'A', 'C']);
    expect(defaultLanes(Array.from({ length: 12 }, (_, i) => `c${i}`))).toHaveLength(7);
    expect(laneOrder(['A', 'B']).map((l) => l.name || 'broker')).toEqual(['A', 'broker', 'B']);
    expect(laneOrder(['A', 'B', 'C']).map((l) => l.name || 'broker')).toEqual(['A', 'B', 'broker', 'C']);
    expect(laneOrder([]).map((l) => l.kind)).toEqual(['broker']);
    const lanes = laneOrder(['A', 'B']);
    expect(lanes.map((l) => l.x)).toEqual([0, 1, 2].map((i) => M.axisWidth + i * M.laneWidth + M.laneWidth / 2));
  });

  it('draws only the chosen clients', () => {
    const l = layout([frame('A', 'up', 'connect', 0), frame('B', 'up', 'connect', 0), frame('A', 'down', 'connack', 0)], ['A']);
    expect(l.arrows.map((a) => a.frame.link)).toEqual(['A', 'A']);
    expect(l.lanes).toHaveLength(2);
  });
});

describe('arrows', () => {
  it('gives every packet of one moment its own row, horizontal when it arrived at once', () => {
    const entries = [frame('A', 'up', 'connect', 1000), frame('A', 'down', 'connack', 1000), frame('B', 'up', 'connect', 1000)];
    const l = layout(entries, ['A', 'B']);
    const [a, b, c] = l.arrows;
    expect([a!.y1, b!.y1, c!.y1]).toEqual([0, 1, 2].map((r) => M.top + (r + 0.5) * M.rowGap));
    for (const x of l.arrows) expect(x.y2).toBe(x.y1);
    // A is left of the broker, B right of it
    expect([a!.from, a!.to, b!.from, b!.to, c!.from, c!.to]).toEqual([0, 1, 1, 0, 2, 1]);
    const g = arrowGeometry(b!, l.lanes, 1);
    expect(g.x1).toBe(l.lanes[1]!.x);
    expect(g.x2).toBe(l.lanes[0]!.x);
    expect(g.cross).toBeUndefined();
  });

  it('spaces moments by their time apart, slopes arrows delayed by latency, and breaks long silences', () => {
    // band 0 at t=1000 (2 rows), band 1 at t=1200 (1 row), band 2 at t=61200 (1 row)
    const p = publish('A', 'up', 1000, 0, undefined, { arrivedAt: 1200 });
    const other = frame('B', 'up', 'pingreq', 1000, { arrivedAt: 1100 });
    const answer = frame('B', 'down', 'pingresp', 1200);
    const late = frame('A', 'up', 'pingreq', 61_200);
    const l = layout([p, other, answer, late], ['A', 'B']);
    const tops = [M.top];
    tops.push(tops[0]! + 2 * M.rowGap + 200 * M.msPx);
    tops.push(tops[1]! + M.rowGap + M.maxGap);
    const [a, b, c, d] = l.arrows;
    expect(a!.y1).toBe(row(0, 0, tops));
    expect(b!.y1).toBe(row(0, 1, tops));
    expect(c!.y1).toBe(row(1, 0, tops));
    expect(d!.y1).toBe(row(2, 0, tops));
    // arrived at a moment something was sent: ends on that moment's first row
    expect(a!.y2).toBe(c!.y1);
    // arrived between two moments: in proportion across the gap
    expect(b!.y2).toBeCloseTo(tops[0]! + 2 * M.rowGap + 100 * M.msPx);
    expect(l.breaks).toEqual([{ y1: tops[1]! + M.rowGap, y2: tops[2], ms: 60_000 }]);
    expect(l.yAt(1000)).toBe(row(0, 0, tops));
    expect(l.yAt(500)).toBe(M.top);
    expect(l.ticks.map((t) => t.t)).toEqual([1000, 1200, 61_200]);
    expect(l.maxArrowSpan).toBe(a!.y2 - a!.y1);
  });

  it('stops lost packets half-way with a cross, and draws those on their way to the present', () => {
    const lost = publish('A', 'down', 1000, 1, 3, { arrivedAt: undefined, lost: 'the link is cut' });
    const flying = frame('A', 'up', 'pingreq', 1000, { arrivedAt: undefined });
    const l = layout([lost, flying], ['A'], { now: 1500 });
    const [a, b] = l.arrows;
    expect(a!.state).toBe('lost');
    expect(a!.reach).toBe(0.5);
    expect(a!.y2).toBe(a!.y1);
    const g = arrowGeometry(a!, l.lanes, 1);
    expect(g.x2).toBe((l.lanes[0]!.x + l.lanes[1]!.x) / 2);
    expect(g.cross).toMatch(/^M/);
    expect(g.head).toBe('');
    expect(b!.state).toBe('flight');
    expect(b!.y2).toBe(l.yAt(1500));
    expect(b!.y2).toBeGreaterThan(b!.y1);
    expect(l.height).toBeGreaterThanOrEqual(l.yAt(1500));
  });

  it('labels packets with their essentials', () => {
    const p = publish('A', 'up', 0, 1, 7, { dup: true, retain: true });
    expect(arrowWords(p)).toEqual(['PUBLISH', 'sensor/1/temperature', 'QoS 1', 'id 7', 'retain', 'DUP']);
    expect(arrowText(p, 80)).toBe('PUBLISH sensor/1/temperature Q1 #7 retain DUP');
    expect(arrowText(p, 30).length).toBeLessThanOrEqual(30);
    expect(arrowText(p, 30)).toMatch(/^PUBLISH …\S+ Q1 #7 retain DUP$/);
    expect(arrowText(p, 20)).toBe('PUBLISH Q1 #7 DUP');
    expect(arrowText(frame('A', 'up', 'unsubscribe', 0, { packetId: 12 }), 10)).toBe('UNSUBSCRI…');
    expect(arrowWords(frame('A', 'down', 'suback', 0, { packetId: 2, reasonCode: 0x87 }))).toEqual(['SUBACK', 'id 2', '0x87']);
    expect(arrowWords(frame('A', 'down', 'connack', 0, { reasonCode: 0 }))).toEqual(['CONNACK', '0x00']);
    expect(arrowWords(frame('A', 'down', 'puback', 0, { packetId: 9, reasonCode: 0 }))).toEqual(['PUBACK', 'id 9']);
  });
});

describe('QoS flows', () => {
  it('groups PUBLISH and PUBACK, and PUBLISH, PUBREC, PUBREL, PUBCOMP, per link and packet id', () => {
    const entries = [
      publish('Pub', 'up', 0, 2, 1),
      publish('Sub', 'down', 0, 2, 1),
      frame('Pub', 'down', 'pubrec', 0, { packetId: 1 }),
      frame('Sub', 'up', 'pubrec', 0, { packetId: 1 }),
      frame('Pub', 'up', 'pubrel', 0, { packetId: 1 }),
      frame('Sub', 'down', 'pubrel', 0, { packetId: 1 }),
      frame('Pub', 'down', 'pubcomp', 0, { packetId: 1 }),
      frame('Sub', 'up', 'pubcomp', 0, { packetId: 1 }),
      publish('Pub', 'up', 10, 1, 1),
      frame('Pub', 'down', 'puback', 10, { packetId: 1 }),
      // an acknowledgement nobody waits for belongs to no flow
      frame('Pub', 'down', 'puback', 20, { packetId: 5 }),
    ];
    const l = layout(entries, ['Pub', 'Sub']);
    expect(l.groups).toHaveLength(3);
    const types = (g: number) => l.groups[g]!.arrows.map((i) => `${l.arrows[i]!.frame.link}:${l.arrows[i]!.frame.type}`);
    expect(types(0)).toEqual(['Pub:publish', 'Pub:pubrec', 'Pub:pubrel', 'Pub:pubcomp']);
    expect(types(1)).toEqual(['Sub:publish', 'Sub:pubrec', 'Sub:pubrel', 'Sub:pubcomp']);
    expect(types(2)).toEqual(['Pub:publish', 'Pub:puback']);
    expect(l.groups.map((g) => [g.qos, g.dir, g.complete])).toEqual([[2, 'to-broker', true], [2, 'to-client', true], [1, 'to-broker', true]]);
    expect(l.groups[0]!.y1).toBe(l.arrows[0]!.y1);
    expect(l.groups[0]!.y2).toBe(l.arrows[6]!.y2);
    expect(l.arrows[10]!.group).toBeUndefined();
    expect(l.groups[0]!.lane).toBe(0);
  });

  it('keeps a flow open when its PUBLISH was lost, and adds the DUP retransmission to it', () => {
    const entries = [
      publish('Sub', 'down', 0, 1, 4, { arrivedAt: undefined, lost: 'the link is cut' }),
      frame('Sub', 'up', 'disconnect', 100),
      frame('Sub', 'up', 'connect', 200),
      frame('Sub', 'down', 'connack', 200, { reasonCode: 0 }),
      publish('Sub', 'down', 200, 1, 4, { dup: true }),
      frame('Sub', 'up', 'puback', 200, { packetId: 4 }),
    ];
    const l = layout(entries, ['Sub']);
    expect(l.groups).toHaveLength(1);
    const g = l.groups[0]!;
    expect(g.arrows.map((i) => l.arrows[i]!.frame.type)).toEqual(['publish', 'publish', 'puback']);
    const [first, again] = g.arrows.map((i) => l.arrows[i]!);
    expect(first!.state).toBe('lost');
    expect(first!.dup).toBe(false);
    expect(again!.dup).toBe(true);
    expect(again!.retransmission).toBe(true);
    expect(g.complete).toBe(true);
  });

  it('keeps a flow open past a lost PUBACK, and starts a new one for a PUBLISH reusing the id without DUP', () => {
    const entries = [
      publish('A', 'up', 0, 1, 1),
      frame('A', 'down', 'puback', 0, { packetId: 1, arrivedAt: undefined, lost: 'cut' }),
      publish('A', 'up', 10, 1, 1, { dup: true }),
      frame('A', 'down', 'puback', 10, { packetId: 1 }),
      publish('A', 'up', 20, 1, 1),
    ];
    const l = layout(entries, ['A']);
    expect(l.groups.map((g) => g.arrows)).toEqual([[0, 1, 2, 3], [4]]);
    expect(l.arrows[3]!.retransmission).toBe(true);
    expect(l.groups.map((g) => g.complete)).toEqual([true, false]);
  });
});

describe('timers', () => {
  const names = new Map([['sensor-1', 'Sensor 1']]);
  it('draws the keep-alive timer from the last packet the broker heard to when it gave up', () => {
    const entries: CaptureEntry[] = [
      frame('Sensor 1', 'up', 'connect', 1000),
      event(1000, { kind: 'client-connected', clientId: 'sensor-1', version: 4, sessionPresent: false, cleanStart: true }),
      frame('Sensor 1', 'down', 'connack', 1000),
      frame('Sensor 1', 'up', 'pingreq', 5000, { arrivedAt: 5000 }),
      frame('Sensor 1', 'up', 'pingreq', 9000, { arrivedAt: undefined, lost: 'the link is cut' }),
      event(20_000, { kind: 'protocol-error', clientId: 'sensor-1', reasonCode: 0x8d, reason: 'nothing received for 15 s' }),
      event(20_000, { kind: 'client-disconnected', clientId: 'sensor-1', reason: 'keep alive timeout', graceful: false }),
      event(20_000, { kind: 'will-scheduled', clientId: 'sensor-1', topic: 'will', delay: 5 }),
      event(25_000, { kind: 'will-published', clientId: 'sensor-1', topic: 'will' }),
    ];
    const l = layout(entries, ['Sensor 1'], { names, keepalive: new Map([['Sensor 1', 10]]), now: 30_000 });
    expect(l.spans.map((s) => [s.kind, s.t1, s.t2, s.state, s.seconds])).toEqual([
      ['keepalive', 5000, 20_000, 'expired', 10],
      ['will', 20_000, 25_000, 'published', 5],
    ]);
    const [ka, will] = l.spans;
    expect(ka!.lane).toBe(0);
    expect(ka!.y1).toBe(l.yAt(5000));
    expect(ka!.y2).toBe(l.yAt(20_000));
    expect(will!.y2).toBe(l.yAt(25_000));
  });

  it('draws the running keep-alive timer of a connected client up to the present, and a will still pending', () => {
    const entries: CaptureEntry[] = [
      frame('Sensor 1', 'up', 'connect', 1000),
      frame('Sensor 1', 'down', 'connack', 1000),
      event(2000, { kind: 'will-scheduled', clientId: 'other', topic: 'will', delay: 60 }),
      event(3000, { kind: 'will-scheduled', clientId: 'sensor-1', topic: 'will', delay: 60 }),
      event(4000, { kind: 'will-cancelled', clientId: 'sensor-1', reason: 'reconnected' }),
      event(5000, { kind: 'will-scheduled', clientId: 'sensor-1', topic: 'will', delay: 60 }),
    ];
    const l = layout(entries, ['Sensor 1'], { names, keepalive: new Map([['Sensor 1', 60]]), connected: new Set(['Sensor 1']), now: 10_000 });
    expect(l.spans.map((s) => [s.kind, s.t1, s.t2, s.state])).toEqual([
      ['will', 3000, 4000, 'cancelled'],
      ['will', 5000, 65_000, 'pending'],
      ['keepalive', 1000, 91_000, 'running'],
    ]);
    // running and pending timers end at the present
    expect(l.spans[1]!.y2).toBe(l.yAt(10_000));
    expect(l.spans[2]!.y2).toBe(l.yAt(10_000));
    // not connected: no running timer
    expect(layout(entries, ['Sensor 1'], { names, keepalive: new Map([['Sensor 1', 60]]), now: 10_000 }).spans.some((s) => s.kind === 'keepalive')).toBe(false);
  });
});

describe('incremental layout', () => {
  it('gives, update after update, what laying everything out at once gives', () => {
    const entries: CaptureEntry[] = [];
    const builder = new DiagramBuilder();
    const shape = (l: ReturnType<typeof layoutDiagram>) => ({
      arrows: l.arrows.map((a) => [a.seq, a.y1, Math.round(a.y2 * 1000) / 1000, a.state, a.group, a.retransmission]),
      groups: l.groups.map((g) => [g.arrows.join(), g.complete, Math.round(g.y2 * 1000) / 1000]),
      breaks: l.breaks, ticks: l.ticks, height: Math.round(l.height * 1000) / 1000,
    });
    let t = 0;
    const inFlight: CapturedFrame[] = [];
    for (let step = 0; step < 60; step++) {
      t += [0, 0, 3, 250, 40_000][step % 5]!;
      // packets with latency arrive later; some are lost
      for (const f of inFlight.splice(0)) {
        if (f.seq % 7 === 0) f.lost = 'cut';
        else f.arrivedAt = t;
      }
      const id = (step % 5) + 1;
      const p = publish(step % 3 ? 'A' : 'B', step % 2 ? 'up' : 'down', t, 1, id, { arrivedAt: step % 4 ? t : undefined });
      if (p.arrivedAt === undefined) inFlight.push(p);
      entries.push(p, frame(p.link, p.dir === 'to-broker' ? 'down' : 'up', 'puback', t, { packetId: id }));
      if (step % 6 === 0) entries.push(event(t, { kind: 'routed', from: 'A', topic: 'x', qos: 1, retain: false, receivers: 1 }));
      const now = t + 10;
      expect(shape(builder.update({ entries, clients: ['A', 'B'], now }))).toEqual(shape(layoutDiagram({ entries, clients: ['A', 'B'], now })));
    }
    // an arrow whose end moved is a new object (views compare by identity)
    const slow = publish('A', 'up', t, 0, undefined, { arrivedAt: undefined });
    entries.push(slow);
    const before = builder.update({ entries, clients: ['A', 'B'], now: t }).arrows.at(-1)!;
    slow.arrivedAt = t + 100;
    const after = builder.update({ entries, clients: ['A', 'B'], now: t + 200 }).arrows.at(-1)!;
    expect(after).not.toBe(before);
    expect([before.state, after.state]).toEqual(['flight', 'arrived']);
    // fewer entries (the oldest dropped) or other lanes: starts over
    entries.splice(0, 10);
    expect(shape(builder.update({ entries, clients: ['A', 'B'], now: t }))).toEqual(shape(layoutDiagram({ entries, clients: ['A', 'B'], now: t })));
    expect(shape(builder.update({ entries, clients: ['B'], now: t }))).toEqual(shape(layoutDiagram({ entries, clients: ['B'], now: t })));
  });
});

describe('virtualisation', () => {
  it('finds what touches the view, including long arrows that started above it', () => {
    const entries: CaptureEntry[] = [];
    for (let i = 0; i < 1000; i++) entries.push(frame('A', 'up', 'pingreq', i * 1000));
    // one slow packet from the start, arriving after everything else
    entries.splice(1, 0, frame('B', 'up', 'pingreq', 0, { arrivedAt: 999_500 }));
    const l = layout(entries, ['A', 'B']);
    const top = l.arrows[500]!.y1 - 1;
    const bottom = l.arrows[520]!.y1 + 1;
    const w = visibleWindow(l, top, bottom);
    const seqs = w.arrows.map((a) => a.frame.link + (a.frame.link === 'A' ? Math.round(a.frame.sentAt / 1000) : ''));
    expect(seqs[0]).toBe('B');
    expect(seqs.slice(1)).toEqual(Array.from({ length: 21 }, (_, i) => `A${499 + i}`));
    expect(w.ticks.every((t) => t.y >= top && t.y <= bottom)).toBe(true);
    expect(w.ticks).toHaveLength(21);
    expect(w.breaks.every((b) => b.y2 >= top && b.y1 <= bottom)).toBe(true);
    // nothing outside
    expect(visibleWindow(l, l.height + 10, l.height + 100).arrows).toEqual([]);
  });

  it('lays out 100,000 packets quickly', () => {
    const entries: CaptureEntry[] = [];
    for (let i = 0; i < 50_000; i++) {
      entries.push(publish(`c${i % 8}`, 'up', i * 10, 1, (i % 60_000) + 1));
      entries.push(frame(`c${i % 8}`, 'down', 'puback', i * 10 + 2, { packetId: (i % 60_000) + 1 }));
    }
    const t0 = performance.now();
    const l = layout(entries, defaultLanes(seenLinks(entries)));
    const ms = performance.now() - t0;
    expect(l.arrows.length).toBe(7 * 2 * 6250);
    expect(ms).toBeLessThan(1000);
  });
});

describe('drawing', () => {
  it('brackets a flow beside the client, away from the broker, and scales with the zoom', () => {
    const l = layout([publish('Left', 'up', 0, 1, 1), frame('Left', 'down', 'puback', 0, { packetId: 1 }), publish('Right', 'down', 0, 1, 2), frame('Right', 'up', 'puback', 0, { packetId: 2 })], ['Left', 'Right']);
    const [left, right] = l.groups;
    const broker = l.lanes.findIndex((x) => x.kind === 'broker');
    const gl = groupGeometry(left!, l.lanes, broker, 1);
    const gr = groupGeometry(right!, l.lanes, broker, 2);
    expect(gl.lx).toBeLessThan(l.lanes[0]!.x);
    expect(gr.lx).toBeGreaterThan(l.lanes[2]!.x);
    expect(gl.x).toBeGreaterThan(l.lanes[0]!.x);
    expect(gl.x + gl.w).toBeLessThan(l.lanes[1]!.x);
    expect(gr.h).toBeCloseTo(((right!.y2 - right!.y1) * 2) + 16, 1);
    expect(arrowGeometry(l.arrows[0]!, l.lanes, 2).y1).toBe(Math.round(l.arrows[0]!.y1 * 2 * 10) / 10);
  });

  it('draws a timer that took no time still visible, and keeps time labels apart', () => {
    const entries: CaptureEntry[] = [
      frame('A', 'up', 'connect', 0),
      event(0, { kind: 'client-disconnected', clientId: 'A', reason: 'closed', graceful: false }),
      event(0, { kind: 'will-scheduled', clientId: 'A', topic: 'w', delay: 0 }),
      event(0, { kind: 'will-published', clientId: 'A', topic: 'w' }),
    ];
    const l = layout(entries, ['A']);
    expect(l.spans).toHaveLength(1);
    expect(spanGeometry(l.spans[0]!, l.lanes, 1).h).toBe(4);
    expect(thinTicks([{ y: 0 }, { y: 5 }, { y: 14 }, { y: 20 }, { y: 40 }], 1).map((t) => t.y)).toEqual([0, 14, 40]);
    expect(thinTicks([{ y: 0 }, { y: 5 }, { y: 14 }], 3).map((t) => t.y)).toEqual([0, 5, 14]);
  });
});

describe('SVG export', () => {
  it('writes a standalone file with the colours inline', () => {
    const entries = [publish('A', 'up', 0, 1, 7), frame('A', 'down', 'puback', 0, { packetId: 7 }), publish('A', 'down', 5, 0, undefined, { arrivedAt: undefined, lost: 'cut' })];
    const l = layout(entries, ['A']);
    const p: SvgPalette = { bg: '#fff', fg: '#111', muted: '#555', border: '#ccc', panel: '#eee', accent: '#06c', ok: '#080', warn: '#960', error: '#b00' };
    const svg = diagramSvg(l, visibleWindow(l, 0, l.height), { zoom: 1, top: 0, bottom: l.height }, p, {
      title: 'Sequence <diagram>', lane: (x) => x.name || 'Broker', arrow: (a) => `${a.frame.type} & co`, group: (g) => `QoS ${g.qos}`, span: () => '', silence: () => '', time: (t) => String(t),
    });
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('<title>Sequence &lt;diagram&gt;</title>');
    expect(svg).toContain('PUBLISH sensor/1/temperature Q1 #7');
    expect(svg).toContain('publish &amp; co');
    expect(svg).not.toContain('var(');
    expect(svg).toContain('stroke="#06c"');
    expect(svg.match(/<g><title>/g)).toHaveLength(3);
    expect(svg).toContain('>QoS 1<');
  });
});
