/**
 * The log of the broker's decisions, from the capture entries of kind
 * 'event' that arrive in every batch: who connected or was refused, which
 * subscriptions were granted, which messages were queued or dropped and why.
 * Kept in arrival order (newest last) and bounded; filtered by client, kind
 * and text for the panel.
 *
 * $SYS statistics are published (and retained) by the broker itself every
 * few seconds; their decisions are marked `sys` so the panel can hide them.
 */
import type { CaptureEntry } from '../../../worker/api';

export type CapturedEvent = Extract<CaptureEntry, { kind: 'event' }>;
export type BrokerEvent = CapturedEvent['event'];
export type EventKind = BrokerEvent['kind'];

export type DecisionCategory = 'connections' | 'sessions' | 'subscriptions' | 'messages' | 'wills' | 'auth' | 'errors';
export const CATEGORIES: readonly DecisionCategory[] = ['connections', 'sessions', 'subscriptions', 'messages', 'wills', 'auth', 'errors'];

export interface Decision {
  seq: number;
  /** Virtual time, ms. */
  at: number;
  /** The client the decision concerns (the sender for a routed message); '' for the broker itself. */
  client: string;
  /** The worker's words (English); the panel says it in the page's language from `event`. */
  text: string;
  event: CapturedEvent['event'];
  kind: EventKind;
  category: DecisionCategory;
  /** A refusal, a drop, or a protocol error. */
  problem: boolean;
  /** About the broker's own $SYS messages. */
  sys: boolean;
}

/** Decisions kept by default. */
export const DECISION_LIMIT = 2000;

const CATEGORY: Record<EventKind, DecisionCategory> = {
  'client-connected': 'connections',
  'client-refused': 'connections',
  'client-disconnected': 'connections',
  'session-created': 'sessions',
  'session-resumed': 'sessions',
  'session-ended': 'sessions',
  subscribed: 'subscriptions',
  unsubscribed: 'subscriptions',
  routed: 'messages',
  queued: 'messages',
  dropped: 'messages',
  retained: 'messages',
  'will-scheduled': 'wills',
  'will-published': 'wills',
  'will-cancelled': 'wills',
  'protocol-error': 'errors',
  auth: 'auth',
};

export function categorize(e: BrokerEvent): DecisionCategory {
  return CATEGORY[e.kind];
}

export function isProblem(e: BrokerEvent): boolean {
  switch (e.kind) {
    case 'client-refused':
    case 'dropped':
    case 'protocol-error':
      return true;
    case 'subscribed':
      return e.reasonCode >= 0x80;
    default:
      return false;
  }
}

/** The broker publishing (and retaining) its own statistics; deliveries to a client of them are not. */
export function isSys(e: BrokerEvent): boolean {
  if (e.kind === 'routed') return e.from === '' && e.topic.startsWith('$SYS/');
  return e.kind === 'retained' && e.topic.startsWith('$SYS/');
}

export function toDecision(entry: CapturedEvent): Decision {
  const e = entry.event;
  return { seq: entry.seq, at: entry.at, client: entry.link, text: entry.text, event: e, kind: e.kind, category: categorize(e), problem: isProblem(e), sys: isSys(e) };
}

export class DecisionLog {
  readonly limit: number;
  #entries: Decision[] = [];
  #lastSeq = 0;
  #clients = new Set<string>();

  constructor(limit = DECISION_LIMIT) {
    this.limit = limit;
  }

  /** Oldest first. */
  get entries(): readonly Decision[] {
    return this.#entries;
  }

  /** Every client named in the decisions kept so far (and before: a client does not vanish from the filter). */
  get clients(): string[] {
    return [...this.#clients].sort((a, b) => a.localeCompare(b));
  }

  /** Takes the events of a batch; whether any was new. Entries seen already (by seq) are skipped. */
  add(entries: readonly CaptureEntry[]): boolean {
    let added = false;
    for (const entry of entries) {
      if (entry.kind !== 'event' || entry.seq <= this.#lastSeq) continue;
      this.#lastSeq = entry.seq;
      const d = toDecision(entry);
      this.#entries.push(d);
      if (d.client) this.#clients.add(d.client);
      added = true;
    }
    if (this.#entries.length > this.limit) this.#entries.splice(0, this.#entries.length - this.limit);
    return added;
  }

  clear(): void {
    this.#entries = [];
    this.#clients.clear();
  }
}

export interface DecisionFilter {
  /** '' for every client. */
  client: string;
  /** '' for every kind; 'problems' for refusals, drops and protocol errors. */
  category: DecisionCategory | 'problems' | '';
  /** Case-insensitive text the line must contain. */
  text: string;
  showSys: boolean;
}

export const NO_FILTER: DecisionFilter = { client: '', category: '', text: '', showSys: false };

export function matchesFilter(d: Decision, f: DecisionFilter): boolean {
  if (!f.showSys && d.sys) return false;
  if (f.client && d.client !== f.client) return false;
  if (f.category === 'problems' ? !d.problem : f.category && d.category !== f.category) return false;
  if (f.text && !d.text.toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

export function filterDecisions(list: readonly Decision[], f: DecisionFilter): Decision[] {
  return list.filter((d) => matchesFilter(d, f));
}
