/**
 * The capture: every frame on every link, numbered, with its client,
 * direction, virtual and wall time, and what became of it (arrived, or lost
 * on a cut link), interleaved with the broker's decisions. Kept in a ring
 * buffer (100,000 entries by default). Summaries are computed only for what
 * is sent to the UI, in batches at most once per frame; the full dissection
 * only when asked for one entry.
 *
 * The ring is kept in columns of typed arrays, and frames' bytes are copied
 * into one circular arena, rather than one object per entry: at hundreds of
 * thousands of frames a second, objects that live for a while are what the
 * garbage collector pays for most. "Routed" decisions, one per message, are
 * columns too; the rarer decisions keep their event object.
 */
import { dissect, Framer, summarize, type Field, type PacketType, type ProtocolVersion } from '../protocol';
import type { BrokerEvent } from '../broker';
import { describeEvent } from '../broker/events';
import type { Direction, PathTap } from './network';
import { nextTask } from '../time/next-task';

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

export interface CaptureOptions {
  capacity?: number;
  /** Most entries per batch; older ones of a burst are skipped (they stay in the ring). */
  batchLimit?: number;
  /** Runs the flush later (about one animation frame). */
  schedule?: (flush: () => void) => void;
  /** Real time for wallAt. */
  wallClock?: () => number;
  /** Bytes kept for frames, oldest overwritten first; default 32 MiB. */
  arenaBytes?: number;
}

// as the page keeps: 100,000 frames and the broker's decisions between them
export const DEFAULT_CAPACITY = 150_000;
export const DEFAULT_ARENA = 32 * 1024 * 1024;
/**
 * Entries per batch while nobody reads them one by one: about 12,000 a second
 * reach the page, the rest of a flood is counted as skipped (it stays in the
 * ring). The page raises it while its packet views are open
 * (setCaptureBatchLimit), to take 10,000 frames a second with their decisions.
 */
export const DEFAULT_BATCH_LIMIT = 200;
const INTERN_LIMIT = 10_000;
/** Kinds of ring entries. */
const EMPTY = 0;
const FRAME = 1;
const EVENT = 2;
const ROUTED = 3;

export class Capture {
  capacity: number;
  /** Most entries per batch to the UI; see setBatchLimit. */
  batchLimit: number;
  enabled = true;
  #next = 1;
  /** The first seq since the last clear(). */
  #first = 1;
  /** Entries from here on have not been sent to the UI yet. */
  #pendingFrom = 1;
  #updates = new Map<number, CaptureUpdate>();
  #scheduled = false;
  #listeners: ((b: CaptureBatch) => void)[] = [];
  readonly #schedule: (flush: () => void) => void;
  readonly #wall: () => number;
  // the ring, by slot = seq % capacity
  #seq!: Float64Array;
  /** 0 empty, 1 frame, 2 event. */
  #kind!: Uint8Array;
  #dir!: Uint8Array;
  #version!: Uint8Array;
  #link!: Uint32Array;
  #sentAt!: Float64Array;
  #wallAt!: Float64Array;
  /** NaN while on its way or lost. */
  #arrivedAt!: Float64Array;
  /** A rare event's object, or a frame too large for the arena. */
  #obj!: (Uint8Array | (BrokerEvent & { at: number }) | undefined)[];
  /** A frame's bytes in the arena: absolute position (bytes written before it) and length. */
  #off!: Float64Array;
  #len!: Uint32Array;
  /** A routed decision: receivers; its topic as an interned id, qos and retain in #dir/#version. */
  #num!: Float64Array;
  #topic!: Uint32Array;
  #arena: Uint8Array;
  #arenaPos = 0;
  #topics: string[] = [];
  #topicIds = new Map<string, number>();
  /** Rare facts, by seq: why a frame was lost, why it could not be framed. */
  #lost = new Map<number, string>();
  #framingErrors = new Map<number, string>();
  #links: string[] = [];
  #linkIds = new Map<string, number>();

  constructor(o: CaptureOptions = {}) {
    this.capacity = o.capacity ?? DEFAULT_CAPACITY;
    this.batchLimit = o.batchLimit ?? DEFAULT_BATCH_LIMIT;
    this.#schedule = o.schedule ?? ((f) => setTimeout(f, 16));
    this.#wall = o.wallClock ?? (() => Date.now());
    this.#arena = new Uint8Array(o.arenaBytes ?? DEFAULT_ARENA);
    this.#allocate(this.capacity);
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
    const linkId = this.#linkId(link);
    let toBroker: Framer | undefined;
    let toClient: Framer | undefined;
    return {
      sent: (dir, bytes, at) => {
        if (!this.enabled) return [];
        const up = dir === 'to-broker';
        const framer = up ? toBroker : toClient;
        // the usual write is exactly one packet: no framing needed
        if ((!framer || framer.buffered === 0) && isWholePacket(bytes)) return this.#frame(linkId, up, bytes, at, version(), undefined);
        const f = framer ?? new Framer();
        if (up) toBroker = f;
        else toClient = f;
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
          for (const fr of done) used += fr.length;
          frames = [...done, used > 0 ? bytes.subarray(used) : bytes];
          if (up) toBroker = undefined;
          else toClient = undefined;
        }
        const v = version();
        const seqs: number[] = [];
        for (let i = 0; i < frames.length; i++) seqs.push(this.#frame(linkId, up, frames[i]!, at, v, i === frames.length - 1 ? framingError : undefined));
        return seqs;
      },
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
    const slot = this.#claim();
    this.#sentAt[slot] = e.at;
    this.#wallAt[slot] = this.#wallNow();
    if (e.kind === 'routed') {
      this.#kind[slot] = ROUTED;
      this.#link[slot] = this.#linkId(e.from);
      this.#topic[slot] = this.#topicId(e.topic);
      this.#num[slot] = e.receivers;
      this.#dir[slot] = e.qos;
      this.#version[slot] = e.retain ? 1 : 0;
      return;
    }
    this.#kind[slot] = EVENT;
    this.#link[slot] = this.#linkId('clientId' in e ? e.clientId : '');
    this.#obj[slot] = e;
  }

  /** The entry numbered `seq`, if it is still in the ring. */
  entry(seq: number): CaptureEntry | undefined {
    const slot = this.#slot(seq);
    if (slot < 0) return undefined;
    return this.#kind[slot] === FRAME ? this.#frameEntry(seq, slot) : this.#eventEntry(seq, slot);
  }

  /** Bytes and dissection of a frame, computed now. */
  dissection(seq: number): { frame: CapturedFrame; bytes: Uint8Array; tree: Field } | undefined {
    const slot = this.#slot(seq);
    if (slot < 0 || this.#kind[slot] !== FRAME) return undefined;
    const bytes = this.#bytes(slot);
    if (!bytes) return undefined;
    return { frame: this.#frameEntry(seq, slot), bytes: bytes.slice(), tree: dissect(bytes, this.#version[slot] as ProtocolVersion) };
  }

  /** Entries with seq in [from, to), oldest first, as far as the ring still holds them. */
  range(from: number, to: number): CaptureEntry[] {
    const out: CaptureEntry[] = [];
    for (let s = Math.max(from, this.#oldest()); s < Math.min(to, this.#next); s++) {
      const e = this.entry(s);
      if (e) out.push(e);
    }
    return out;
  }

  /** Bytes of frames, for export. */
  rawFrames(from = 0, to = Infinity): { frame: CapturedFrame; bytes: Uint8Array }[] {
    const out: { frame: CapturedFrame; bytes: Uint8Array }[] = [];
    for (let s = Math.max(from, this.#oldest()); s < Math.min(to, this.#next); s++) {
      const slot = this.#slot(s);
      const bytes = slot >= 0 && this.#kind[slot] === FRAME ? this.#bytes(slot) : undefined;
      if (bytes) out.push({ frame: this.#frameEntry(s, slot), bytes: bytes.slice() });
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
    this.#pendingFrom = this.#next;
    this.#allocate(this.capacity);
    this.#updates.clear();
    this.#lost.clear();
    this.#framingErrors.clear();
  }

  /** How many entries a batch carries at most (10 to 10,000); older ones of a burst are skipped. */
  setBatchLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 10 || limit > 10_000) throw new RangeError('the batch limit must be an integer from 10 to 10,000');
    this.batchLimit = limit;
  }

  /** Changes the ring's size, keeping the newest entries that fit. */
  setCapacity(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 100 || capacity > 10_000_000) throw new RangeError('capacity must be an integer from 100 to 10,000,000');
    const old = {
      seq: this.#seq, kind: this.#kind, dir: this.#dir, version: this.#version, link: this.#link, sentAt: this.#sentAt, wallAt: this.#wallAt,
      arrivedAt: this.#arrivedAt, obj: this.#obj, off: this.#off, len: this.#len, num: this.#num, topic: this.#topic, cap: this.capacity,
    };
    const from = Math.max(this.#oldest(), this.#next - capacity);
    this.capacity = capacity;
    this.#allocate(capacity);
    for (let s = from; s < this.#next; s++) {
      const o = s % old.cap;
      if (old.seq[o] !== s) continue;
      const n = s % capacity;
      this.#seq[n] = s;
      this.#kind[n] = old.kind[o]!;
      this.#dir[n] = old.dir[o]!;
      this.#version[n] = old.version[o]!;
      this.#link[n] = old.link[o]!;
      this.#sentAt[n] = old.sentAt[o]!;
      this.#wallAt[n] = old.wallAt[o]!;
      this.#arrivedAt[n] = old.arrivedAt[o]!;
      this.#obj[n] = old.obj[o];
      this.#off[n] = old.off[o]!;
      this.#len[n] = old.len[o]!;
      this.#num[n] = old.num[o]!;
      this.#topic[n] = old.topic[o]!;
    }
  }

  /** Sends what is pending to the listeners now. */
  flush(): void {
    this.#scheduled = false;
    const count = this.#next - this.#pendingFrom;
    const from = Math.max(this.#pendingFrom, this.#next - this.batchLimit, this.#oldest());
    const skipped = Math.max(0, count - (this.#next - from));
    const entries: CaptureEntry[] = [];
    for (let s = from; s < this.#next; s++) {
      const e = this.entry(s);
      if (e) entries.push(e);
    }
    this.#pendingFrom = this.#next;
    const batch: CaptureBatch = { entries, updates: [...this.#updates.values()], skipped };
    this.#updates.clear();
    if (!batch.entries.length && !batch.updates.length && !batch.skipped) return;
    for (const l of this.#listeners) l(batch);
  }

  #allocate(n: number): void {
    this.#seq = new Float64Array(n);
    this.#kind = new Uint8Array(n);
    this.#dir = new Uint8Array(n);
    this.#version = new Uint8Array(n);
    this.#link = new Uint32Array(n);
    this.#sentAt = new Float64Array(n);
    this.#wallAt = new Float64Array(n);
    this.#arrivedAt = new Float64Array(n);
    this.#obj = new Array(n);
    this.#off = new Float64Array(n);
    this.#len = new Uint32Array(n);
    this.#num = new Float64Array(n);
    this.#topic = new Uint32Array(n);
  }

  /** A small id for a topic; the table is forgotten when it grows large (ids of old entries then read as '?'). */
  #topicId(topic: string): number {
    let id = this.#topicIds.get(topic);
    if (id === undefined) {
      if (this.#topics.length >= INTERN_LIMIT) {
        this.#topics = [''];
        this.#topicIds.clear();
      }
      if (this.#topics.length === 0) this.#topics.push('');
      id = this.#topics.length;
      this.#topics.push(topic);
      this.#topicIds.set(topic, id);
    }
    return id;
  }

  /** Copies a frame into the arena; a frame larger than a quarter of it is kept as its own array. */
  #store(slot: number, bytes: Uint8Array): void {
    const n = bytes.length;
    const size = this.#arena.length;
    if (n > size >> 2) {
      this.#obj[slot] = bytes.slice();
      this.#len[slot] = n;
      this.#off[slot] = -1;
      return;
    }
    let at = this.#arenaPos % size;
    // a frame never wraps: skip the arena's tail when it does not fit
    if (at + n > size) {
      this.#arenaPos += size - at;
      at = 0;
    }
    this.#arena.set(bytes, at);
    this.#off[slot] = this.#arenaPos;
    this.#len[slot] = n;
    this.#arenaPos += n;
  }

  /** A frame's bytes (a view into the arena), or undefined once the arena has overwritten them. */
  #bytes(slot: number): Uint8Array | undefined {
    const off = this.#off[slot]!;
    if (off < 0) return this.#obj[slot] as Uint8Array;
    const size = this.#arena.length;
    if (off < this.#arenaPos - size) return undefined;
    const at = off % size;
    return this.#arena.subarray(at, at + this.#len[slot]!);
  }

  #linkId(link: string): number {
    let id = this.#linkIds.get(link);
    if (id === undefined) {
      id = this.#links.length;
      this.#links.push(link);
      this.#linkIds.set(link, id);
    }
    return id;
  }

  /** Takes the slot of the next seq, forgetting what it held. */
  #claim(): number {
    const seq = this.#next++;
    const slot = seq % this.capacity;
    const old = this.#seq[slot]!;
    if (old !== 0) {
      this.#lost.delete(old);
      this.#framingErrors.delete(old);
    }
    this.#seq[slot] = seq;
    this.#arrivedAt[slot] = NaN;
    this.#obj[slot] = undefined;
    this.#request();
    return slot;
  }

  #frame(linkId: number, up: boolean, bytes: Uint8Array, at: number, version: ProtocolVersion, framingError: string | undefined): number {
    const slot = this.#claim();
    const seq = this.#next - 1;
    this.#kind[slot] = FRAME;
    this.#dir[slot] = up ? 0 : 1;
    this.#version[slot] = version;
    this.#link[slot] = linkId;
    this.#sentAt[slot] = at;
    this.#wallAt[slot] = this.#wallNow();
    this.#obj[slot] = undefined;
    this.#store(slot, bytes);
    if (framingError !== undefined) this.#framingErrors.set(seq, framingError);
    return seq;
  }

  #wallCache: number | undefined;
  readonly #forgetWall = (): void => {
    this.#wallCache = undefined;
  };

  /** Wall time, read once per task: reading the clock is costly in a browser worker. */
  #wallNow(): number {
    if (this.#wallCache === undefined) {
      this.#wallCache = this.#wall();
      nextTask(this.#forgetWall);
    }
    return this.#wallCache;
  }

  #update(seq: number, arrivedAt: number | undefined, lost: string | undefined): void {
    const slot = this.#slot(seq);
    if (slot < 0 || this.#kind[slot] !== FRAME) return;
    this.#arrivedAt[slot] = arrivedAt ?? NaN;
    if (lost !== undefined) this.#lost.set(seq, lost);
    // an entry not yet sent to the UI will carry its news itself
    if (seq >= this.#pendingFrom) return;
    this.#updates.set(seq, { seq, arrivedAt, lost });
    this.#request();
  }

  #oldest(): number {
    return Math.max(this.#first, this.#next - this.capacity);
  }

  /** The slot holding `seq`, or -1 when it is gone (or never was). */
  #slot(seq: number): number {
    if (seq < this.#oldest() || seq >= this.#next) return -1;
    const slot = seq % this.capacity;
    return this.#seq[slot] === seq && this.#kind[slot] !== EMPTY ? slot : -1;
  }

  #request(): void {
    if (this.#scheduled || this.#listeners.length === 0) return;
    this.#scheduled = true;
    this.#schedule(() => this.flush());
  }

  #eventEntry(seq: number, slot: number): CapturedEvent {
    const link = this.#links[this.#link[slot]!]!;
    const at = this.#sentAt[slot]!;
    let e: BrokerEvent & { at: number };
    if (this.#kind[slot] === ROUTED) {
      e = { kind: 'routed', from: link, topic: this.#topics[this.#topic[slot]!] ?? '?', qos: this.#dir[slot]!, retain: this.#version[slot] === 1, receivers: this.#num[slot]!, at };
    } else e = this.#obj[slot] as BrokerEvent & { at: number };
    return { kind: 'event', seq, at, wallAt: this.#wallAt[slot]!, link, text: describeEvent(e), event: e };
  }

  #frameEntry(seq: number, slot: number): CapturedFrame {
    const bytes = this.#bytes(slot);
    const version = this.#version[slot] as ProtocolVersion;
    const framingError = this.#framingErrors.get(seq);
    const s = bytes ? summarize(bytes, version) : { type: undefined, packet: undefined, error: undefined, reasonCode: undefined, text: '(bytes no longer kept: the capture memory has wrapped)' };
    const p = s.packet;
    const arrived = this.#arrivedAt[slot]!;
    return {
      kind: 'frame', seq, link: this.#links[this.#link[slot]!]!, dir: this.#dir[slot] === 0 ? 'to-broker' : 'to-client',
      sentAt: this.#sentAt[slot]!, wallAt: this.#wallAt[slot]!, arrivedAt: Number.isNaN(arrived) ? undefined : arrived, lost: this.#lost.get(seq),
      size: this.#len[slot]!, version, type: s.type, text: framingError ? `Malformed: ${framingError}` : s.text, error: framingError ?? s.error,
      topic: p?.type === 'publish' ? p.topic : undefined,
      qos: p?.type === 'publish' ? p.qos : undefined,
      packetId: p && 'packetId' in p ? p.packetId : undefined,
      reasonCode: s.reasonCode,
      retain: p?.type === 'publish' ? p.retain : undefined,
      dup: p?.type === 'publish' ? p.dup : undefined,
    };
  }
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
