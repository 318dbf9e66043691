/**
 * Routing: who receives a message (§4.7, §4.8). Ordinary subscriptions that
 * match are merged per session, so a session with overlapping subscriptions
 * gets one copy, at the highest QoS granted among them, carrying every
 * matching Subscription Identifier (5.0), with the RETAIN flag kept if any of
 * them asked for Retain As Published. No Local subscriptions skip the
 * publisher's own session. Each matching share group gives the message to one
 * member, online members first, in turn.
 */
import type { QoS } from '../protocol';
import type { Delivery, Message } from './message';
import type { Registry, ShareGroup } from './registry';
import type { Session, SessionLimits } from './session';

interface Target {
  qos: QoS;
  retain: boolean;
  ids: number[] | undefined;
}

export class Router {
  readonly #registry: Registry;
  #targets = new Map<string, Target>();

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  /**
   * Delivers `m` to every matching session; returns how many sessions matched
   * (a copy dropped for one of them, e.g. QoS 0 while offline, still counts:
   * "No matching subscribers" means none matched).
   */
  route(m: Message, limits: SessionLimits, now: number): number {
    const registry = this.#registry;
    const matches = registry.subscriptions.matchAll(m.topic);
    let receivers = 0;
    if (matches.length === 1) {
      // the common case needs no merging
      const [sub, clientId] = matches[0]!;
      const s = registry.sessions.get(clientId);
      if (s && !(sub.noLocal && clientId === m.origin)) {
        const qos = (sub.qos < m.qos ? sub.qos : m.qos) as QoS;
        s.deliver(m, qos, sub.retainAsPublished && m.retain, sub.identifier === undefined ? undefined : [sub.identifier], undefined, limits, now);
        receivers++;
      }
    } else if (matches.length > 1) {
      const targets = this.#targets;
      targets.clear();
      for (const [sub, clientId] of matches) {
        if (sub.noLocal && clientId === m.origin) continue; // [MQTT-3.8.3-3]
        const qos = (sub.qos < m.qos ? sub.qos : m.qos) as QoS; // [MQTT-3.8.4-8]
        const retain = sub.retainAsPublished && m.retain; // [MQTT-3.3.1-12], [MQTT-3.3.1-13]
        const t = targets.get(clientId);
        if (!t) targets.set(clientId, { qos, retain, ids: sub.identifier === undefined ? undefined : [sub.identifier] });
        else {
          if (qos > t.qos) t.qos = qos;
          t.retain ||= retain;
          if (sub.identifier !== undefined) (t.ids ??= []).push(sub.identifier); // [MQTT-3.3.4-3]
        }
      }
      for (const [clientId, t] of targets) {
        const s = registry.sessions.get(clientId);
        if (!s) continue;
        s.deliver(m, t.qos, t.retain, t.ids, undefined, limits, now);
        receivers++;
      }
    }
    if (registry.shared.size === 0) return receivers;
    for (const [g] of registry.shared.matchAll(m.topic)) {
      const member = pickMember(g, registry);
      if (!member) continue;
      const [s, sub] = member;
      const qos = (sub.qos < m.qos ? sub.qos : m.qos) as QoS;
      const ids = sub.identifier === undefined ? undefined : [sub.identifier];
      s.deliver(m, qos, sub.retainAsPublished && m.retain, ids, `${g.group}\u0000${g.filter}`, limits, now);
      receivers++;
    }
    return receivers;
  }

  /** Gives a delivery of a shared subscription to another member of its group (its holder left). */
  reassign(d: Delivery, leaving: string, limits: SessionLimits, now: number): boolean {
    if (d.shareKey === undefined) return false;
    const [group, filter] = d.shareKey.split('\u0000') as [string, string];
    const g = this.#registry.shared.get(filter, group);
    if (!g) return false;
    const member = pickMember(g, this.#registry, leaving);
    if (!member) return false;
    const [s, sub] = member;
    const qos = (sub.qos < d.message.qos ? sub.qos : d.message.qos) as QoS;
    // the new member's own subscription options and identifier [MQTT-3.3.4-3]
    const ids = sub.identifier === undefined ? undefined : [sub.identifier];
    return s.deliver(d.message, qos, sub.retainAsPublished && d.message.retain, ids, d.shareKey, limits, now);
  }
}

/** The next member in turn, preferring online ones; `exclude` is a member that is leaving. */
function pickMember(g: ShareGroup, registry: Registry, exclude?: string): [Session, NonNullable<ReturnType<ShareGroup['members']['get']>>] | undefined {
  const ids = [...g.members.keys()];
  if (ids.length === 0) return undefined;
  const start = g.last === undefined ? 0 : (ids.indexOf(g.last) + 1) % ids.length;
  let offline: string | undefined;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[(start + i) % ids.length]!;
    if (id === exclude) continue;
    const s = registry.sessions.get(id);
    if (!s) continue;
    if (s.online) {
      g.last = id;
      return [s, g.members.get(id)!];
    }
    offline ??= id;
  }
  if (offline === undefined) return undefined;
  // nobody online: queue it for the next in turn, as a persistent member will be back
  g.last = offline;
  return [registry.sessions.get(offline)!, g.members.get(offline)!];
}
