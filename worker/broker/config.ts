/**
 * What a broker allows and how big things may get. Defaults follow the public
 * broker of the tutorial this project started from (EMQX): at most 1000
 * queued messages per session, QoS 0 not queued for offline sessions, queued
 * messages expire after 5 minutes.
 */
import type { QoS } from '../protocol';
import type { AclRule } from './acl';

export interface UserEntry {
  username: string;
  /** `pbkdf2-sha256$<iterations>$<salt>$<hash>` as made by hashPassword(). */
  password: string;
}

export interface BrokerConfig {
  /** Shown in $SYS/broker/version. */
  version: string;
  /** Clients without a user name may connect. */
  allowAnonymous: boolean;
  /** Known users and their hashed passwords. */
  users: UserEntry[];
  /** Authorisation rules, first match wins; empty means everything is allowed. */
  acl: AclRule[];
  /** What happens when no ACL rule matches. */
  aclDefault: 'allow' | 'deny';
  /** Highest QoS the broker accepts and grants. */
  maximumQoS: QoS;
  retainAvailable: boolean;
  wildcardSubscriptionAvailable: boolean;
  subscriptionIdentifiersAvailable: boolean;
  sharedSubscriptionAvailable: boolean;
  /** Largest packet accepted from clients, in bytes. */
  maximumPacketSize: number;
  /** QoS 1 and 2 publications a client may have unacknowledged towards the broker. */
  receiveMaximum: number;
  /** Highest topic alias a client may use towards the broker; 0 disables them. */
  topicAliasMaximum: number;
  /** Use topic aliases when sending to 5.0 clients that accept them. */
  outboundTopicAliases: boolean;
  /** Unacknowledged QoS 1 and 2 messages towards a 3.1/3.1.1 client (5.0 clients set their own). */
  maxInflight: number;
  /** Messages queued per session beyond the in-flight window. */
  maxQueuedMessages: number;
  /** Queue QoS 0 messages for offline sessions too. */
  queueQos0: boolean;
  /** Seconds a queued message may wait before it is dropped; 0 means no limit. */
  queuedMessageExpiry: number;
  /** Overrides the clients' Keep Alive when set (5.0 tells the client through Server Keep Alive). */
  serverKeepAlive: number | undefined;
  /** Longest Session Expiry Interval granted, in seconds; 0xFFFFFFFF means unlimited. */
  maxSessionExpiryInterval: number;
  /** Client identifiers assigned by the broker start with this. */
  assignedClientIdPrefix: string;
  /** Response Information returned when a client requests it; empty sends none. */
  responseInformation: string;
  /** Seconds between $SYS updates; 0 disables them. */
  sysInterval: number;
}

export const DEFAULT_CONFIG: Readonly<BrokerConfig> = {
  version: 'mqtt-playground 0.1.0',
  allowAnonymous: true,
  users: [],
  acl: [],
  aclDefault: 'allow',
  maximumQoS: 2,
  retainAvailable: true,
  wildcardSubscriptionAvailable: true,
  subscriptionIdentifiersAvailable: true,
  sharedSubscriptionAvailable: true,
  maximumPacketSize: 1024 * 1024,
  receiveMaximum: 32,
  topicAliasMaximum: 65535,
  outboundTopicAliases: false,
  maxInflight: 32,
  maxQueuedMessages: 1000,
  queueQos0: false,
  queuedMessageExpiry: 300,
  serverKeepAlive: undefined,
  maxSessionExpiryInterval: 0xffffffff,
  assignedClientIdPrefix: 'auto-',
  responseInformation: '',
  sysInterval: 10,
};

export function resolveConfig(partial: Partial<BrokerConfig> = {}): BrokerConfig {
  const c = { ...DEFAULT_CONFIG, ...partial, users: [...(partial.users ?? [])], acl: [...(partial.acl ?? [])] };
  const problems = configProblems(c);
  if (problems.length) throw new Error(`invalid broker configuration: ${problems.join('; ')}`);
  return c;
}

/** Every setting that is out of range, in words. */
export function configProblems(c: BrokerConfig): string[] {
  const p: string[] = [];
  const int = (name: keyof BrokerConfig, min: number, max: number) => {
    const v = c[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) p.push(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  };
  if (![0, 1, 2].includes(c.maximumQoS)) p.push('maximumQoS must be 0, 1 or 2');
  int('maximumPacketSize', 64, 268_435_460);
  int('receiveMaximum', 1, 65535);
  int('topicAliasMaximum', 0, 65535);
  int('maxInflight', 1, 65535);
  int('maxQueuedMessages', 0, 10_000_000);
  int('queuedMessageExpiry', 0, 0xffffffff);
  int('maxSessionExpiryInterval', 0, 0xffffffff);
  int('sysInterval', 0, 86400);
  if (c.serverKeepAlive !== undefined) int('serverKeepAlive', 0, 65535);
  for (const u of c.users) if (!u.username || !u.password) p.push('every user needs a username and a password hash');
  return p;
}
