/**
 * The capture: every frame on every link, numbered, with its client,
 * direction, virtual and wall time, and what became of it (arrived, or lost
 * on a cut link), interleaved with the broker's decisions. Kept in a ring
 * buffer (100,000 entries by default). Summaries are computed only for what
 * is sent to the UI, in batches at most once per frame; the full dissection
 * only when asked for one entry.
 */
import { dissect, Framer, summarize, type Field, type PacketType, type ProtocolVersion } from '../protocol';
import type { BrokerEvent } from '../broker';
import { describeEvent } from '../broker/events';
import type { Direction, PathTap } from './network';

export interface CapturedFrame {
  kind: 'frame';
  seq: number;
  /** The connection: the virtual client's name. */
  link: string;
  dir: Direction;
  /** Virtual time (ms) it was written, and real time. */
  sentAt: number;
  wallAt: number;
  /** Virtual time it reached the other end; undefined while on its way or lost. */
  arrivedAt: number | undefined;
  /** Why it never arrived (a cut link). */
  lost: string | undefined;
  size: number;
  version: ProtocolVersion;
  type: PacketType | undefined;
  text: string;
  error: string | undefined;
  topic: string | undefined;
  qos: number | undefined;
  packetId: number | undefined;
  reasonCode: number | undefined;
  retain: boolean | undefined;
  dup: boolean | undefined;
}

export interface CapturedEvent {
  kind: 'event';
  seq: number;
  at: number;
  wallAt: number;
  /** The client the decision concerns, if one. */
  link: string;
  text: string;
  event: BrokerEvent;
}

export type CaptureEntry = CapturedFrame | CapturedEvent;

export interface CaptureUpdate {
  seq: number;
  arrivedAt: number | undefined;
  lost: string | undefined;
}

export interface CaptureBatch {
  entries: CaptureEntry[];
  updates: CaptureUpdate[];
  /** Entries recorded since the last batch but left out of this one (the UI could not keep up). */
  skipped: number;
}

/** A broker decision as recorded; its words are made only when someone reads it. */
interface RawEvent {
  seq: number;
  event: BrokerEvent & { at: number };
  wallAt: number;
  link: string;
  entry: CapturedEvent | undefined;
  isEvent: true;
}

interface Raw {
  isEvent?: undefined;
  seq: number;
  link: string;
  dir: Direction;
  sentAt: number;
  wallAt: number;
  arrivedAt: number | undefined;
  lost: string | undefined;
  bytes: Uint8Array;
  version: ProtocolVersion;
  /** Set when the bytes are not a whole packet (a framing error). */
  framingError: string | undefined;
  entry: CapturedFrame | undefined;
  /** Sent to the UI already: later changes go as updates. */
  announced: boolean;
}

export interface CaptureOptions {
  capacity?: number;
  /** Most entries per batch; older ones of a burst are skipped (they stay in the ring). */
  batchLimit?: number;
  /** Runs the flush later (about one animation frame). */
  schedule?: (flush: () => void) => void;
  /** Real time for wallAt. */
  wallClock?: () => number;
}

export const DEFAULT_CAPACITY = 100_000;

export class Capture {
  capacity: number;
  readonly batchLimit: number;
  #ring: (Raw | RawEvent | undefined)[];
  #next = 1;
  /** The first seq since the last clear(). */
  #first = 1;
  #pending: (Raw | RawEvent)[] = [];
  #updates = new Map<number, CaptureUpdate>();
  #skipped = 0;
  #scheduled = false;
  #listeners: ((b: CaptureBatch) => void)[] = [];
  readonly #schedule: (flush: () => void) => void;
  readonly #wall: () => number;
  enabled = true;

  constructor(o: CaptureOptions = {}) {
    this.capacity = o.capacity ?? DEFAULT_CAPACITY;
    this.batchLimit = o.batchLimit ?? 1000;
    this.#ring = new Array(this.capacity);
    this.#schedule = o.schedule ?? ((f) => setTimeout(f, 16));
    this.#wall = o.wallClock ?? (() => Date.now());
  }

  onBatch(listener: (b: CaptureBatch) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * A tap for one connection's network path; `version` gives the protocol
   * level to decode with. Each connection gets its own, so framing starts
   * afresh. A write is recorded as the seq of its frame, or the seqs of its
   * frames when it held several.
   */
  tap(link: string, version: () => ProtocolVersion): PathTap<number | number[]> {
    const framers: Record<Direction, Framer | undefined> = { 'to-broker': undefined, 'to-client': undefined };
    return {
      sent: (dir, bytes, at) => this.#sent(link, dir, bytes, at, version(), framers),
      arrived: (seqs, at) => {
        if (typeof seqs === 'number') this.#update(seqs, at, undefined);
        else for (const seq of seqs) this.#update(seq, at, undefined);
      },
      lost: (seqs, at, why) => {
        if (typeof seqs === 'number') this.#update(seqs, undefined, why);
        else for (const seq of seqs) this.#update(seq, undefined, why);
      },
    };
  }

  /** Records a decision of the broker. */
  event(e: BrokerEvent & { at: number }): void {
    if (!this.enabled) return;
    const link = 'clientId' in e ? e.clientId : 'from' in e ? e.from : '';
    this.#store({ seq: this.#next++, event: e, wallAt: this.#wallNow(), link, entry: undefined, isEvent: true });
  }

  /** The entry numbered `seq`, if it is still in the ring. */
  entry(seq: number): CaptureEntry | undefined {
    const r = this.#get(seq);
    if (!r) return undefined;
    return r.isEvent ? eventEntry(r) : this.#summary(r);
  }

  /** Bytes and dissection of a frame, computed now. */
  dissection(seq: number): { frame: CapturedFrame; bytes: Uint8Array; tree: Field } | undefined {
    const r = this.#get(seq);
    if (!r || r.isEvent) return undefined;
    return { frame: this.#summary(r), bytes: r.bytes, tree: dissect(r.bytes, r.version) };
  }

  /** Entries with seq in [from, to), oldest first, as far as the ring still holds them. */
  range(from: number, to: number): CaptureEntry[] {
    const out: CaptureEntry[] = [];
    for (let s = Math.max(from, this.#next - this.capacity); s < Math.min(to, this.#next); s++) {
      const e = this.entry(s);
      if (e) out.push(e);
    }
    return out;
  }

  /** Bytes of frames, for export. */
  rawFrames(from = 0, to = Infinity): { frame: CapturedFrame; bytes: Uint8Array }[] {
    const out: { frame: CapturedFrame; bytes: Uint8Array }[] = [];
    for (let s = Math.max(from, this.#next - this.capacity); s < Math.min(to, this.#next); s++) {
      const r = this.#get(s);
      if (r && !r.isEvent) out.push({ frame: this.#summary(r), bytes: r.bytes });
    }
    return out;
  }

  get lastSeq(): number {
    return this.#next - 1;
  }

  get size(): number {
    return Math.min(this.#next - this.#first, this.capacity);
  }

  /** Forgets every entry; numbering goes on. */
  clear(): void {
    this.#first = this.#next;
    this.#ring = new Array(this.capacity);
    this.#pending = [];
    this.#updates.clear();
    this.#skipped = 0;
  }

  /** Changes the ring's size, keeping the newest entries that fit. */
  setCapacity(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 100 || capacity > 10_000_000) throw new RangeError('capacity must be an integer from 100 to 10,000,000');
    const kept: (Raw | RawEvent)[] = [];
    for (let s = Math.max(1, this.#next - Math.min(capacity, this.capacity)); s < this.#next; s++) {
      const r = this.#get(s);
      if (r) kept.push(r);
    }
    this.capacity = capacity;
    this.#ring = new Array(capacity);
    for (const r of kept) this.#ring[r.seq % capacity] = r;
  }

  #sent(link: string, dir: Direction, bytes: Uint8Array, at: number, version: ProtocolVersion, framers: Record<Direction, Framer | undefined>): number | number[] {
    if (!this.enabled) return [];
    const wallAt = this.#wallNow();
    const framer = framers[dir];
    // the usual write is exactly one packet: no framing needed
    if ((!framer || framer.buffered === 0) && isWholePacket(bytes)) return this.#record(link, dir, bytes, at, wallAt, version, undefined);
    const f = framer ?? (framers[dir] = new Framer());
    const buffered = f.buffered;
    let frames: Uint8Array[];
    let framingError: string | undefined;
    try {
      frames = f.push(bytes);
    } catch (e) {
      // what cannot be framed is recorded as it came, and framing starts over; the packets the
      // write completed before it are recorded already, so their bytes are not repeated
      framingError = e instanceof Error ? e.message : String(e);
      const done = (e as { frames?: Uint8Array[] }).frames ?? [];
      let used = -buffered;
      for (const d of done) used += d.length;
      frames = [...done, used > 0 ? bytes.subarray(used) : bytes];
      framers[dir] = undefined;
    }
    const seqs: number[] = [];
    for (let i = 0; i < frames.length; i++) {
      seqs.push(this.#record(link, dir, frames[i]!, at, wallAt, version, i === frames.length - 1 ? framingError : undefined));
    }
    return seqs;
  }

  #record(link: string, dir: Direction, bytes: Uint8Array, at: number, wallAt: number, version: ProtocolVersion, framingError: string | undefined): number {
    const seq = this.#next++;
    this.#store({ seq, link, dir, sentAt: at, wallAt, arrivedAt: undefined, lost: undefined, bytes, version, framingError, entry: undefined, announced: false });
    return seq;
  }

  #wallCache: number | undefined;
  readonly #forgetWall = (): void => {
    this.#wallCache = undefined;
  };

  /** Wall time, read once per burst of microtasks. */
  #wallNow(): number {
    if (this.#wallCache === undefined) {
      this.#wallCache = this.#wall();
      queueMicrotask(this.#forgetWall);
    }
    return this.#wallCache;
  }

  #store(r: Raw | RawEvent): void {
    this.#ring[r.seq % this.capacity] = r;
    this.#pending.push(r);
    if (this.#pending.length > this.batchLimit * 2) {
      const drop = this.#pending.length - this.batchLimit;
      this.#skipped += drop;
      this.#pending = this.#pending.slice(drop);
    }
    this.#request();
  }

  #update(seq: number, arrivedAt: number | undefined, lost: string | undefined): void {
    const r = this.#get(seq);
    if (!r || r.isEvent) return;
    r.arrivedAt = arrivedAt;
    r.lost = lost;
    if (r.entry) {
      r.entry.arrivedAt = arrivedAt;
      r.entry.lost = lost;
    }
    // an entry not yet sent to the UI will carry its news itself
    if (!r.announced) return;
    this.#updates.set(seq, { seq, arrivedAt, lost });
    this.#request();
  }

  #get(seq: number): Raw | RawEvent | undefined {
    if (seq < 1 || seq >= this.#next || seq <= this.#next - 1 - this.capacity) return undefined;
    const r = this.#ring[seq % this.capacity];
    return r && r.seq === seq ? r : undefined;
  }

  #request(): void {
    if (this.#scheduled || this.#listeners.length === 0) return;
    this.#scheduled = true;
    this.#schedule(() => this.flush());
  }

  /** Sends what is pending to the listeners now. */
  flush(): void {
    this.#scheduled = false;
    let pending = this.#pending;
    let skipped = this.#skipped;
    if (pending.length > this.batchLimit) {
      skipped += pending.length - this.batchLimit;
      pending = pending.slice(pending.length - this.batchLimit);
    }
    const batch: CaptureBatch = {
      entries: pending.map((r) => {
        if (r.isEvent) return eventEntry(r);
        r.announced = true;
        return this.#summary(r);
      }),
      updates: [...this.#updates.values()],
      skipped,
    };
    this.#pending = [];
    this.#updates.clear();
    this.#skipped = 0;
    if (!batch.entries.length && !batch.updates.length && !batch.skipped) return;
    for (const l of this.#listeners) l(batch);
  }

  #summary(r: Raw): CapturedFrame {
    if (r.entry) return r.entry;
    const s = summarize(r.bytes, r.version);
    const p = s.packet;
    const error = r.framingError ?? s.error;
    const entry: CapturedFrame = {
      kind: 'frame', seq: r.seq, link: r.link, dir: r.dir, sentAt: r.sentAt, wallAt: r.wallAt, arrivedAt: r.arrivedAt, lost: r.lost,
      size: r.bytes.length, version: r.version, type: s.type, text: r.framingError ? `Malformed: ${r.framingError}` : s.text, error,
      topic: p?.type === 'publish' ? p.topic : undefined,
      qos: p?.type === 'publish' ? p.qos : undefined,
      packetId: p && 'packetId' in p ? p.packetId : undefined,
      reasonCode: s.reasonCode,
      retain: p?.type === 'publish' ? p.retain : undefined,
      dup: p?.type === 'publish' ? p.dup : undefined,
    };
    r.entry = entry;
    return entry;
  }
}

function eventEntry(r: RawEvent): CapturedEvent {
  return (r.entry ??= { kind: 'event', seq: r.seq, at: r.event.at, wallAt: r.wallAt, link: r.link, text: describeEvent(r.event), event: r.event });
}

/** Whether `b` holds exactly one packet, by its fixed header. */
function isWholePacket(b: Uint8Array): boolean {
  let len = 0;
  let mult = 1;
  for (let i = 1; i <= 4 && i < b.length; i++) {
    const byte = b[i]!;
    len += (byte & 0x7f) * mult;
    if ((byte & 0x80) === 0) return 1 + i + len === b.length;
    mult *= 128;
  }
  return false;
}
