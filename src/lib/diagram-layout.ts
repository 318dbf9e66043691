/**
 * Where everything of the sequence diagram goes: lanes across, time
 * downwards. Plain TypeScript, no DOM, so that it is unit-tested and the SVG
 * export draws exactly what the panel draws.
 *
 * Time is virtual milliseconds, but a linear scale would not do: the
 * simulation answers in zero virtual time (a PUBLISH, its PUBACK and the
 * copies to every subscriber share one millisecond), and a minute of silence
 * would be a screen of nothing. So the y axis is made of *bands*, one per
 * distinct send time: a band holds one row per packet sent at that moment,
 * in capture order, and between bands the gap grows with the time between
 * them (`msPx`), up to `maxGap`; a longer silence is drawn as a break with its
 * duration. A moment with no packet sent (an arrival after some latency, a
 * timer's deadline) falls inside a gap, proportionally:
 *
 *   band t=1000 ─ row 0  Sensor 1 ──PUBLISH──▶ broker        (y = 14 + 14)
 *                 row 1  broker ──PUBACK──▶ Sensor 1          (y = 14 + 42)
 *   gap 200 ms × 0.2 px/ms = 40 px
 *   band t=1200 ─ row 0  ...
 *
 * An arrow goes from the sender's lane at its row to the receiver's lane at
 * the y of its arrival (horizontal when it arrived at once, sloped when
 * latency delayed it); a lost one stops half-way; one still on its way is
 * drawn half-way too, to the present. Everything is laid out at zoom 1: the
 * view multiplies every y by its zoom, which scales rows, gaps and caps alike.
 */
import type { CaptureEntry, CapturedFrame } from '../../worker/api';

/** Sizes at zoom 1, px. */
export interface DiagramMetrics {
  /** Height of one packet's row. */
  rowGap: number;
  /** Pixels per virtual millisecond between two moments. */
  msPx: number;
  /** Longest gap between two moments; a longer silence is a break. */
  maxGap: number;
  laneWidth: number;
  /** Room on the left for the time axis. */
  axisWidth: number;
  /** Room above the first row. */
  top: number;
}

export const METRICS: DiagramMetrics = { rowGap: 28, msPx: 0.2, maxGap: 96, laneWidth: 176, axisWidth: 92, top: 12 };
/** Client lanes chosen when the learner has not chosen: the broker plus these make about 8 lanes. */
export const DEFAULT_CLIENT_LANES = 7;

export interface DiagramLane {
  /** The client's name, or '' for the broker. */
  name: string;
  kind: 'broker' | 'client';
  /** Centre, px. */
  x: number;
}

export type ArrowState = 'arrived' | 'lost' | 'flight';

export interface DiagramArrow {
  seq: number;
  frame: CapturedFrame;
  /** Lane indexes of the sender and the receiver. */
  from: number;
  to: number;
  /** Where it leaves the sender and where it ends, px at zoom 1. */
  y1: number;
  y2: number;
  state: ArrowState;
  /** How far across it goes: 1 to the receiver, 0.5 when lost or still on its way. */
  reach: number;
  /** Index of its QoS flow in `groups`. */
  group: number | undefined;
  /** A PUBLISH sent again with the DUP flag. */
  dup: boolean;
  /** A packet of a QoS flow that was sent before (a DUP PUBLISH, a PUBREL again). */
  retransmission: boolean;
}

/** A QoS 1 or 2 exchange: PUBLISH and its PUBACK, or PUBLISH, PUBREC, PUBREL, PUBCOMP, with one packet id on one link. */
export interface DiagramGroup {
  id: number;
  link: string;
  /** The client's lane. */
  lane: number;
  packetId: number;
  qos: 1 | 2;
  /** Which way the PUBLISH went. */
  dir: CapturedFrame['dir'];
  /** Indexes in `arrows`, in order. */
  arrows: number[];
  y1: number;
  y2: number;
  /** The last packet of the flow arrived (PUBACK or PUBCOMP). */
  complete: boolean;
}

export interface DiagramSpan {
  kind: 'keepalive' | 'will';
  lane: number;
  /** Virtual times it runs between, and where, px at zoom 1. */
  t1: number;
  t2: number;
  y1: number;
  y2: number;
  /**
   * keepalive: 'expired' (the broker gave up) or 'running' (the timer goes on: y2 is the
   * present, t2 the deadline); will: 'published', 'cancelled' or 'pending' (y2 the present, t2 when due).
   */
  state: 'expired' | 'running' | 'published' | 'cancelled' | 'pending';
  /** Keep Alive of the connection, or the Will Delay Interval, seconds (undefined when unknown). */
  seconds: number | undefined;
}

/** A silence longer than the gap shows: between y1 and y2, `ms` passed. */
export interface DiagramBreak {
  y1: number;
  y2: number;
  ms: number;
}

export interface DiagramTick {
  t: number;
  y: number;
}

export interface LayoutInput {
  entries: readonly CaptureEntry[];
  /** Client lanes, in order (the broker goes in the middle of them). */
  clients: readonly string[];
  /** Keep Alive in seconds, by client name. */
  keepalive?: ReadonlyMap<string, number>;
  /** Client name by client identifier (the broker's decisions name clients by identifier). */
  names?: ReadonlyMap<string, string>;
  /** Clients connected now (their keep-alive timer runs). */
  connected?: ReadonlySet<string>;
  /** The present, virtual ms. */
  now?: number;
  metrics?: DiagramMetrics;
  /** Width of a lane, px, when not the metrics' (to fit the panel); changes no y. */
  laneWidth?: number;
}

export interface DiagramLayout {
  lanes: DiagramLane[];
  /** Ordered by y1 (capture order). */
  arrows: DiagramArrow[];
  /** Ordered by y1. */
  groups: DiagramGroup[];
  spans: DiagramSpan[];
  breaks: DiagramBreak[];
  /** One per moment a packet was sent. */
  ticks: DiagramTick[];
  width: number;
  height: number;
  /** The tallest arrow and group (y2 - y1): how far above the view one may start and still show. */
  maxArrowSpan: number;
  maxGroupSpan: number;
  metrics: DiagramMetrics;
  /** The y of a virtual time. */
  yAt(t: number): number;
}

/** Client names in the order their first frame was captured. */
export function seenLinks(entries: readonly CaptureEntry[]): string[] {
  const seen = new Set<string>();
  for (const e of entries) if (e.kind === 'frame' && !seen.has(e.link)) seen.add(e.link);
  return [...seen];
}

/** The lanes shown unless the learner chose: the first clients seen, up to `max`. */
export function defaultLanes(seen: readonly string[], max = DEFAULT_CLIENT_LANES): string[] {
  return seen.slice(0, max);
}

/** Lanes left to right: the clients in the order given, the broker in the middle. */
export function laneOrder(clients: readonly string[], m: DiagramMetrics = METRICS): DiagramLane[] {
  const at = Math.ceil(clients.length / 2);
  const lanes: Omit<DiagramLane, 'x'>[] = [
    ...clients.slice(0, at).map((name) => ({ name, kind: 'client' as const })),
    { name: '', kind: 'broker' },
    ...clients.slice(at).map((name) => ({ name, kind: 'client' as const })),
  ];
  return lanes.map((l, i) => ({ ...l, x: m.axisWidth + i * m.laneWidth + m.laneWidth / 2 }));
}

/** Which packet ends a QoS flow, and which continue it. */
const FLOW_STEP: Partial<Record<NonNullable<CapturedFrame['type']>, { back: boolean; qos: 1 | 2; ends: boolean }>> = {
  puback: { back: true, qos: 1, ends: true },
  pubrec: { back: true, qos: 2, ends: false },
  pubrel: { back: false, qos: 2, ends: false },
  pubcomp: { back: true, qos: 2, ends: true },
};

const other = (d: CapturedFrame['dir']): CapturedFrame['dir'] => (d === 'to-broker' ? 'to-client' : 'to-broker');

/**
 * Lays the diagram out as the capture grows: entries already placed keep
 * their place (a band's rows and gaps depend only on what came before it),
 * so each update costs only the new entries, plus the arrows whose end is
 * still open (on their way, or arriving after the last moment drawn). It
 * starts over when the lanes change, or when the capture was cleared or
 * lost its oldest entries.
 */
export class DiagramBuilder {
  readonly m: DiagramMetrics;
  #clients: readonly string[] | undefined;
  #entries: readonly CaptureEntry[] | undefined;
  #first: CaptureEntry | undefined;
  #done = 0;
  #lanes: DiagramLane[] = [];
  #laneWidth: number;
  #broker = 0;
  #laneOf = new Map<string, number>();
  #bandT: number[] = [];
  #bandTop: number[] = [];
  #bandRows: number[] = [];
  #gapAfter: number[] = [];
  /** The bottom of the last band. */
  #end = 0;
  #arrows: DiagramArrow[] = [];
  #groups: DiagramGroup[] = [];
  #open = new Map<number, number>();
  #breaks: DiagramBreak[] = [];
  #ticks: DiagramTick[] = [];
  /** Arrows whose end may still move: on their way, or arriving after the last band. */
  #unsettled: number[] = [];
  #maxArrowSpan = 0;
  #maxGroupSpan = 0;
  /** The lowest end of a settled arrow. */
  #lowest = 0;
  #now: number | undefined;

  constructor(metrics: DiagramMetrics = METRICS) {
    this.m = metrics;
    this.#laneWidth = metrics.laneWidth;
    this.#reset([]);
  }

  update(input: LayoutInput): DiagramLayout {
    const entries = input.entries;
    const same = this.#clients !== undefined && sameList(this.#clients, input.clients);
    if (!same || entries !== this.#entries || entries.length < this.#done || (this.#done > 0 && entries[0] !== this.#first)) {
      this.#reset(input.clients);
      this.#entries = entries;
    }
    this.#first = entries[0];
    this.#now = input.now;
    const laneWidth = input.laneWidth ?? this.m.laneWidth;
    if (laneWidth !== this.#laneWidth) {
      this.#laneWidth = laneWidth;
      this.#lanes = laneOrder(input.clients, { ...this.m, laneWidth });
    }
    for (let i = this.#done; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.kind === 'frame' && this.#laneOf.has(e.link)) this.#add(e);
    }
    this.#done = entries.length;
    this.#settle();

    const m = this.m;
    const yAt = (t: number) => this.#yAt(t);
    const spans = timerSpans(input, this.#laneOf, yAt);
    let lowest = Math.max(this.#lowest, this.#end);
    for (const i of this.#unsettled) lowest = Math.max(lowest, this.#arrows[i]!.y2);
    for (const s of spans) lowest = Math.max(lowest, s.y2);
    if (input.now !== undefined && this.#bandT.length) lowest = Math.max(lowest, yAt(input.now));
    return {
      lanes: this.#lanes, arrows: this.#arrows, groups: this.#groups, spans, breaks: this.#breaks, ticks: this.#ticks,
      width: m.axisWidth + this.#lanes.length * this.#laneWidth + 24, height: lowest + m.rowGap,
      maxArrowSpan: this.#maxArrowSpan, maxGroupSpan: this.#maxGroupSpan, metrics: m, yAt,
    };
  }

  #reset(clients: readonly string[]): void {
    const m = this.m;
    this.#clients = [...clients];
    this.#lanes = laneOrder(clients, { ...m, laneWidth: this.#laneWidth });
    this.#broker = this.#lanes.findIndex((l) => l.kind === 'broker');
    this.#laneOf = new Map();
    this.#lanes.forEach((l, i) => {
      if (l.kind === 'client') this.#laneOf.set(l.name, i);
    });
    this.#entries = undefined;
    this.#first = undefined;
    this.#done = 0;
    this.#bandT = [];
    this.#bandTop = [];
    this.#bandRows = [];
    this.#gapAfter = [];
    this.#end = m.top;
    this.#arrows = [];
    this.#groups = [];
    this.#open = new Map();
    this.#breaks = [];
    this.#ticks = [];
    this.#unsettled = [];
    this.#maxArrowSpan = 0;
    this.#maxGroupSpan = 0;
    this.#lowest = m.top;
  }

  /** The y of a virtual time: a row of its moment, or in proportion across the gap it falls in. */
  #yAt(t: number): number {
    const m = this.m;
    const bandT = this.#bandT;
    if (bandT.length === 0 || t < bandT[0]!) return m.top;
    // the last band at or before t
    let lo = 0;
    let hi = bandT.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bandT[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    const top = this.#bandTop[lo]!;
    if (t === bandT[lo]) return top + m.rowGap / 2;
    const bottom = top + this.#bandRows[lo]! * m.rowGap;
    if (lo + 1 < bandT.length) return bottom + (this.#gapAfter[lo]! * (t - bandT[lo]!)) / (bandT[lo + 1]! - bandT[lo]!);
    // after the last moment: the present and what arrives later, at the same pace, up to one gap
    return bottom + Math.min(m.maxGap, (t - bandT[lo]!) * m.msPx);
  }

  #add(f: CapturedFrame): void {
    const m = this.m;
    const bandT = this.#bandT;
    let b = bandT.length - 1;
    // the clock never goes back; should a time be out of order, it joins the current band
    if (b < 0 || f.sentAt > bandT[b]!) {
      let top = m.top;
      if (b >= 0) {
        const dt = f.sentAt - bandT[b]!;
        const gap = Math.min(m.maxGap, dt * m.msPx);
        if (dt * m.msPx > m.maxGap) this.#breaks.push({ y1: this.#end, y2: this.#end + gap, ms: dt });
        this.#gapAfter[b] = gap;
        top = this.#end + gap;
      }
      bandT.push(f.sentAt);
      this.#bandTop.push(top);
      this.#bandRows.push(0);
      this.#gapAfter.push(0);
      this.#ticks.push({ t: f.sentAt, y: top + m.rowGap / 2 });
      b++;
    }
    const row = this.#bandRows[b]!++;
    const y1 = this.#bandTop[b]! + (row + 0.5) * m.rowGap;
    this.#end = y1 + m.rowGap / 2;

    const client = this.#laneOf.get(f.link)!;
    const up = f.dir === 'to-broker';
    const arrow: DiagramArrow = {
      seq: f.seq, frame: f, from: up ? client : this.#broker, to: up ? this.#broker : client, y1, y2: y1, state: 'arrived', reach: 1,
      group: undefined, dup: f.type === 'publish' && f.dup === true, retransmission: false,
    };
    const index = this.#arrows.push(arrow) - 1;
    if (!this.#place(arrow)) this.#unsettled.push(index);
    this.#flow(f, client, index, arrow);
  }

  /** Sets where an arrow ends, from what became of its frame; whether that is final. */
  #place(a: DiagramArrow): boolean {
    const f = a.frame;
    let settled = true;
    if (f.lost !== undefined) {
      a.state = 'lost';
      a.reach = 0.5;
      a.y2 = a.y1;
    } else if (f.arrivedAt === undefined) {
      a.state = 'flight';
      a.reach = 0.5;
      a.y2 = this.#now !== undefined ? Math.max(a.y1, this.#yAt(this.#now)) : a.y1;
      settled = false;
    } else {
      a.state = 'arrived';
      a.reach = 1;
      a.y2 = f.arrivedAt > f.sentAt ? Math.max(a.y1, this.#yAt(f.arrivedAt)) : a.y1;
      // arriving after the last moment drawn: the next moment may still change where
      settled = f.arrivedAt <= this.#bandT[this.#bandT.length - 1]!;
    }
    if (a.y2 - a.y1 > this.#maxArrowSpan) this.#maxArrowSpan = a.y2 - a.y1;
    if (settled && a.y2 > this.#lowest) this.#lowest = a.y2;
    return settled;
  }

  /**
   * Places the arrows whose end was still open. What changed is replaced by
   * a new object rather than changed in place: views compare items by
   * identity to know what to redraw.
   */
  #settle(): void {
    const still: number[] = [];
    for (const i of this.#unsettled) {
      const a = { ...this.#arrows[i]! };
      if (!this.#place(a)) still.push(i);
      this.#arrows[i] = a;
      if (a.group !== undefined) {
        const g = this.#groups[a.group]!;
        let y2 = g.y1;
        for (const j of g.arrows) y2 = Math.max(y2, this.#arrows[j]!.y2);
        this.#groups[a.group] = { ...g, y2 };
        if (y2 - g.y1 > this.#maxGroupSpan) this.#maxGroupSpan = y2 - g.y1;
      }
    }
    this.#unsettled = still;
  }

  /** Adds the arrow to the QoS flow it belongs to: found by link, direction of the PUBLISH and packet id. */
  #flow(f: CapturedFrame, client: number, index: number, arrow: DiagramArrow): void {
    if (f.packetId === undefined) return;
    const groups = this.#groups;
    if (f.type === 'publish') {
      if (f.qos !== 1 && f.qos !== 2) return;
      const key = flowKey(client, f.dir, f.packetId);
      const g = this.#open.get(key);
      // a DUP PUBLISH continues the flow its id belongs to; without DUP the id is used anew
      if (g !== undefined && f.dup && groups[g]!.qos === f.qos) {
        this.#join(g, index, arrow, true);
        return;
      }
      const id = groups.push({ id: groups.length, link: f.link, lane: client, packetId: f.packetId, qos: f.qos, dir: f.dir, arrows: [], y1: arrow.y1, y2: arrow.y2, complete: false }) - 1;
      this.#open.set(key, id);
      this.#join(id, index, arrow, false);
      return;
    }
    const step = f.type ? FLOW_STEP[f.type] : undefined;
    if (!step) return;
    const key = flowKey(client, step.back ? other(f.dir) : f.dir, f.packetId);
    const g = this.#open.get(key);
    if (g === undefined || groups[g]!.qos !== step.qos) return;
    let again = false;
    for (const a of groups[g]!.arrows) if (this.#arrows[a]!.frame.type === f.type) again = true;
    // the flow is over once its last packet is delivered; a lost PUBACK leaves it open for the DUP to come
    const ends = step.ends && f.lost === undefined;
    if (ends) this.#open.delete(key);
    this.#join(g, index, arrow, again, ends);
  }

  /** Adds an arrow to a flow (a new object for the flow: see #settle). */
  #join(id: number, index: number, arrow: DiagramArrow, again: boolean, ends = false): void {
    const g = this.#groups[id]!;
    const group: DiagramGroup = { ...g, arrows: [...g.arrows, index], y1: Math.min(g.y1, arrow.y1), y2: Math.max(g.y2, arrow.y2), complete: g.complete || ends };
    this.#groups[id] = group;
    if (group.y2 - group.y1 > this.#maxGroupSpan) this.#maxGroupSpan = group.y2 - group.y1;
    arrow.group = id;
    arrow.retransmission = again;
  }
}

const flowKey = (lane: number, dir: CapturedFrame['dir'], packetId: number) => (lane * 2 + (dir === 'to-broker' ? 0 : 1)) * 65_536 + packetId;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The whole layout at once (what the builder gives after taking every entry in one go). */
export function layoutDiagram(input: LayoutInput): DiagramLayout {
  return new DiagramBuilder(input.metrics).update(input);
}

/**
 * Keep-alive spans: from the last packet the broker received from a client to
 * the moment it gave up (1.5 times the Keep Alive), and for a client still
 * connected, the timer running now. Will spans: from the end of a connection
 * that leaves a will (will-scheduled) to its publication or cancellation.
 */
function timerSpans(input: LayoutInput, laneOf: ReadonlyMap<string, number>, yAt: (t: number) => number): DiagramSpan[] {
  const spans: DiagramSpan[] = [];
  const nameOf = (clientId: string) => input.names?.get(clientId) ?? clientId;
  const lastHeard = new Map<string, number>();
  const timedOut = new Set<string>();
  const wills = new Map<string, { t1: number; delay: number }>();
  const now = input.now;
  const add = (kind: DiagramSpan['kind'], name: string, t1: number, t2: number, end: number, state: DiagramSpan['state'], seconds: number | undefined) => {
    const lane = laneOf.get(name);
    if (lane === undefined) return;
    spans.push({ kind, lane, t1, t2, y1: yAt(t1), y2: Math.max(yAt(t1), yAt(end)), state, seconds });
  };

  for (const e of input.entries) {
    if (e.kind === 'frame') {
      if (e.dir === 'to-broker' && e.arrivedAt !== undefined) lastHeard.set(e.link, e.arrivedAt);
      continue;
    }
    const ev = e.event;
    if (!('clientId' in ev)) continue;
    const name = nameOf(ev.clientId);
    switch (ev.kind) {
      case 'client-connected':
        lastHeard.set(name, e.at);
        timedOut.delete(name);
        break;
      case 'protocol-error':
        if (ev.reasonCode === 0x8d) timedOut.add(name);
        break;
      case 'client-disconnected': {
        const from = lastHeard.get(name);
        if (from !== undefined && (timedOut.has(name) || /keep.?alive/i.test(ev.reason))) {
          add('keepalive', name, from, e.at, e.at, 'expired', input.keepalive?.get(name));
        }
        lastHeard.delete(name);
        timedOut.delete(name);
        break;
      }
      case 'will-scheduled':
        wills.set(name, { t1: e.at, delay: ev.delay });
        break;
      case 'will-published':
      case 'will-cancelled': {
        const w = wills.get(name);
        if (w) add('will', name, w.t1, e.at, e.at, ev.kind === 'will-published' ? 'published' : 'cancelled', w.delay);
        wills.delete(name);
        break;
      }
    }
  }
  for (const [name, w] of wills) add('will', name, w.t1, w.t1 + w.delay * 1000, Math.min(now ?? w.t1, w.t1 + w.delay * 1000), 'pending', w.delay);
  if (now !== undefined) {
    for (const [name, from] of lastHeard) {
      const k = input.keepalive?.get(name);
      if (!k || !input.connected?.has(name)) continue;
      const deadline = from + k * 1500;
      add('keepalive', name, from, deadline, Math.min(now, deadline), 'running', k);
    }
  }
  return spans;
}

/** Index of the first item whose y is at least `y` (items ordered by y). */
function firstFrom<T>(items: readonly T[], y: number, yOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (yOf(items[mid]!) < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface DiagramWindow {
  arrows: DiagramArrow[];
  groups: DiagramGroup[];
  spans: DiagramSpan[];
  breaks: DiagramBreak[];
  ticks: DiagramTick[];
}

/**
 * What touches the band [top, bottom] (px at zoom 1): only this is drawn, so
 * that a capture of 100,000 packets costs what the screen shows.
 */
export function visibleWindow(l: DiagramLayout, top: number, bottom: number): DiagramWindow {
  const pick = <T extends { y1: number; y2: number }>(items: readonly T[], span: number): T[] => {
    const out: T[] = [];
    for (let i = firstFrom(items, top - span, (it) => it.y1); i < items.length && items[i]!.y1 <= bottom; i++) {
      const it = items[i]!;
      if (Math.max(it.y1, it.y2) >= top) out.push(it);
    }
    return out;
  };
  const ticks: DiagramTick[] = [];
  for (let i = firstFrom(l.ticks, top, (t) => t.y); i < l.ticks.length && l.ticks[i]!.y <= bottom; i++) ticks.push(l.ticks[i]!);
  return {
    arrows: pick(l.arrows, l.maxArrowSpan),
    groups: pick(l.groups, l.maxGroupSpan),
    spans: l.spans.filter((s) => s.y2 >= top && s.y1 <= bottom),
    breaks: l.breaks.filter((b) => b.y2 >= top && b.y1 <= bottom),
    ticks,
  };
}

/** The packet in a few words for its label: type, then topic, QoS, packet id, reason code, flags. */
export function arrowWords(f: CapturedFrame): string[] {
  const words = [f.type ? f.type.toUpperCase() : 'MALFORMED'];
  if (f.type === 'publish') words.push(f.topic || '""');
  if (f.qos !== undefined) words.push(`QoS ${f.qos}`);
  if (f.packetId !== undefined) words.push(`id ${f.packetId}`);
  if (f.reasonCode !== undefined && (f.reasonCode !== 0 || f.type === 'connack')) words.push(`0x${f.reasonCode.toString(16).padStart(2, '0')}`);
  if (f.retain) words.push('retain');
  if (f.dup) words.push('DUP');
  return words;
}

/**
 * The label drawn on the arrow, within `max` characters: the start of a long
 * topic gives way first, then the topic and the retain flag; the type, QoS,
 * packet id and DUP stay.
 */
export function arrowText(f: CapturedFrame, max = 34): string {
  const words = arrowWords(f).map((w) => w.replace(/^QoS /, 'Q').replace(/^id /, '#'));
  const text = words.join(' ');
  if (text.length <= max) return text;
  if (f.type === 'publish') {
    const [type, topic, ...rest] = words as [string, string, ...string[]];
    // what stays whole, and the spaces around the topic
    const room = max - [type, ...rest].join(' ').length - 1;
    if (room >= 5) return [type, `…${topic.slice(topic.length - room + 1)}`, ...rest].join(' ');
    const bare = [type, ...rest.filter((w) => w !== 'retain')].join(' ');
    if (bare.length <= max) return bare;
  }
  return `${text.slice(0, max - 1)}…`;
}
