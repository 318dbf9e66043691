/**
 * The broker as the UI shows it: sessions (online or not, expiry countdown,
 * subscriptions, in-flight and queued counts), retained messages, $SYS
 * statistics and the configuration. Plain data, safe to post to the page.
 */
import type { Broker, BrokerConfig, BrokerStats } from '../broker';
import { NEVER_EXPIRES } from '../broker';
import type { Properties, QoS } from '../protocol';

export interface SessionSubscriptionView {
  topicFilter: string;
  qos: QoS;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: number;
  identifier: number | undefined;
}

export interface SessionView {
  clientId: string;
  online: boolean;
  version: number;
  /** Seconds; 0 ends with the connection, 0xFFFFFFFF never. */
  expiryInterval: number;
  /** Virtual ms at which an offline session expires, if it will. */
  expiresAt: number | undefined;
  subscriptions: SessionSubscriptionView[];
  inflight: number;
  queued: number;
  /** QoS 2 messages from the client awaiting PUBREL. */
  awaitingRelease: number;
}

export interface RetainedView {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  receivedAt: number;
  expiresAt: number | undefined;
  properties: Properties | undefined;
}

/** One level of the subscription tree: who subscribed to the filter ending here, and the levels below. */
export interface SubscriptionNode {
  level: string;
  /** The filter from the root to here, e.g. "sensor/+/temperature". */
  filter: string;
  subscribers: { clientId: string; qos: QoS; group: string | undefined }[];
  children: SubscriptionNode[];
}

export interface BrokerSnapshot {
  at: number;
  sessions: SessionView[];
  /** Every subscription filter, level by level (shared ones under their filter, with their group). */
  subscriptionTree: SubscriptionNode;
  retained: RetainedView[];
  stats: BrokerStats;
  sys: Record<string, string>;
  config: BrokerConfig;
}

export function brokerSnapshot(b: Broker): BrokerSnapshot {
  const now = b.clock.now();
  const sessions: SessionView[] = [...b.registry.sessions.values()].map((s) => ({
    clientId: s.clientId,
    online: s.online,
    version: s.version,
    expiryInterval: s.expiryInterval,
    expiresAt: !s.online && s.disconnectedAt !== undefined && s.expiryInterval !== NEVER_EXPIRES ? s.disconnectedAt + s.expiryInterval * 1000 : undefined,
    subscriptions: [...s.subscriptions.values()].map((x) => ({
      topicFilter: x.topicFilter, qos: x.qos, noLocal: x.noLocal, retainAsPublished: x.retainAsPublished, retainHandling: x.retainHandling, identifier: x.identifier,
    })),
    inflight: s.inflight.size,
    queued: s.queued,
    awaitingRelease: s.awaitingRel.size,
  }));
  const retained: RetainedView[] = b.retained.all(now).map((m) => ({
    topic: m.topic, payload: m.payload, qos: m.qos, receivedAt: m.receivedAt, expiresAt: m.expiresAt, properties: m.properties,
  }));
  return { at: now, sessions, subscriptionTree: subscriptionTree(b), retained, stats: { ...b.stats }, sys: b.sysValues(), config: structuredClone(b.config) };
}

export function subscriptionTree(b: Broker): SubscriptionNode {
  const root: SubscriptionNode = { level: '', filter: '', subscribers: [], children: [] };
  for (const s of b.registry.sessions.values()) {
    for (const sub of s.subscriptions.values()) {
      let node = root;
      for (const level of sub.matchFilter.split('/')) {
        let next = node.children.find((c) => c.level === level);
        if (!next) {
          next = { level, filter: node === root ? level : `${node.filter}/${level}`, subscribers: [], children: [] };
          node.children.push(next);
        }
        node = next;
      }
      node.subscribers.push({ clientId: s.clientId, qos: sub.qos, group: sub.group });
    }
  }
  const sort = (n: SubscriptionNode) => {
    n.children.sort((x, y) => x.level.localeCompare(y.level));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}
