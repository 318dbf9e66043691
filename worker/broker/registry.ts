/**
 * Every session the broker holds, by client identifier, and the indexes of
 * their subscriptions: ordinary ones in one topic trie, shared ones grouped
 * per `$share/{group}/{filter}` in another. Sessions that outlive their
 * connection expire here (§4.1, Session Expiry Interval).
 */
import type { Clock, TimerId } from '../time/clock';
import type { Delivery } from './message';
import { Session, type Subscription } from './session';
import { TopicTrie } from './topic-trie';

/** The members of one shared subscription, served in turn. */
export interface ShareGroup {
  group: string;
  filter: string;
  members: Map<string, Subscription>;
  /** Round-robin position: the member after this one is served next. */
  last: string | undefined;
}

export const NEVER_EXPIRES = 0xffffffff;

export class Registry {
  readonly sessions = new Map<string, Session>();
  readonly subscriptions = new TopicTrie<Subscription>();
  readonly shared = new TopicTrie<ShareGroup>();
  #expiry = new Map<string, TimerId>();
  readonly #clock: Clock;
  /** Called when a session ends, with the deliveries it still held. */
  onEnd: ((s: Session, reason: string, pending: Delivery[]) => void) | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get(clientId: string): Session | undefined {
    return this.sessions.get(clientId);
  }

  create(clientId: string): Session {
    const s = new Session(clientId);
    this.sessions.set(clientId, s);
    return s;
  }

  /** Ends a session: its subscriptions go, and whatever it held is handed to onEnd. */
  end(s: Session, reason: string): void {
    if (this.sessions.get(s.clientId) !== s) return;
    this.cancelExpiry(s.clientId);
    for (const sub of [...s.subscriptions.values()]) this.unsubscribe(s, sub.topicFilter);
    this.sessions.delete(s.clientId);
    const pending = s.clearMessages();
    this.onEnd?.(s, reason, pending);
  }

  /** Starts the session's expiry after its connection closed; `remainingMs` when part of it has passed. */
  scheduleExpiry(s: Session, remainingMs = s.expiryInterval * 1000): void {
    this.cancelExpiry(s.clientId);
    if (s.expiryInterval === 0) return this.end(s, 'session expiry interval is 0');
    if (s.expiryInterval === NEVER_EXPIRES) return;
    if (remainingMs <= 0) return this.end(s, `expired after ${s.expiryInterval} s offline`);
    const id = this.#clock.setTimeout(() => {
      this.#expiry.delete(s.clientId);
      if (!s.online) this.end(s, `expired after ${s.expiryInterval} s offline`);
    }, remainingMs);
    this.#expiry.set(s.clientId, id);
  }

  cancelExpiry(clientId: string): void {
    const id = this.#expiry.get(clientId);
    if (id !== undefined) {
      this.#clock.clearTimeout(id);
      this.#expiry.delete(clientId);
    }
  }

  /** Adds or replaces a subscription; returns true when it did not exist before. */
  subscribe(s: Session, sub: Subscription): boolean {
    const existed = s.subscriptions.has(sub.topicFilter);
    s.subscriptions.set(sub.topicFilter, sub);
    if (sub.group === undefined) {
      this.subscriptions.set(sub.matchFilter, s.clientId, sub);
    } else {
      let g = this.shared.get(sub.matchFilter, sub.group);
      if (!g) {
        g = { group: sub.group, filter: sub.matchFilter, members: new Map(), last: undefined };
        this.shared.set(sub.matchFilter, sub.group, g);
      }
      g.members.set(s.clientId, sub);
    }
    return !existed;
  }

  /** Removes a subscription by the filter as subscribed; returns whether it existed. */
  unsubscribe(s: Session, topicFilter: string): boolean {
    const sub = s.subscriptions.get(topicFilter);
    if (!sub) return false;
    s.subscriptions.delete(topicFilter);
    if (sub.group === undefined) this.subscriptions.delete(sub.matchFilter, s.clientId);
    else {
      const g = this.shared.get(sub.matchFilter, sub.group);
      if (g) {
        g.members.delete(s.clientId);
        if (g.members.size === 0) this.shared.delete(sub.matchFilter, sub.group);
      }
    }
    return true;
  }

  get subscriptionCount(): number {
    let n = this.subscriptions.size;
    for (const [, , g] of this.shared.entries()) n += g.members.size;
    return n;
  }
}
