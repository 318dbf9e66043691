/**
 * The broker's limits and features as the Settings section edits them: one
 * table says, for each setting, what kind of control it needs, its range,
 * and when a change takes effect. Limits on queues and routing apply at
 * once; what CONNACK announces (5.0) applies to new connections; a few are
 * checked on every packet now and announced to new connections too.
 *
 * The ranges repeat those of worker/broker/config.ts (the page may not import
 * broker code); the worker checks again, and its answer names the setting
 * (`settingInError`), so a value it refuses is still shown next to its field.
 */
import type { BrokerConfig } from '../../../worker/api';

/** When a change takes effect. */
export type Applies = 'now' | 'new' | 'both';

type KeysOf<T> = { [K in keyof BrokerConfig]-?: BrokerConfig[K] extends T ? K : never }[keyof BrokerConfig];
export type BooleanKey = KeysOf<boolean>;
export type NumberKey = Exclude<KeysOf<number | undefined>, 'maximumQoS'>;

export type SettingDef =
  | { kind: 'boolean'; key: BooleanKey; applies: Applies }
  | { kind: 'qos'; key: 'maximumQoS'; applies: Applies }
  | { kind: 'number'; key: NumberKey; applies: Applies; min: number; max: number; unit: 'bytes' | 'seconds' | 'messages'; optional?: boolean };

/** The limits and features, in the order the panel shows them. */
export const LIMITS: readonly SettingDef[] = [
  { kind: 'qos', key: 'maximumQoS', applies: 'both' },
  { kind: 'boolean', key: 'retainAvailable', applies: 'both' },
  { kind: 'number', key: 'maximumPacketSize', applies: 'new', min: 64, max: 268_435_460, unit: 'bytes' },
  { kind: 'number', key: 'receiveMaximum', applies: 'both', min: 1, max: 65_535, unit: 'messages' },
  { kind: 'number', key: 'maxInflight', applies: 'new', min: 1, max: 65_535, unit: 'messages' },
  { kind: 'number', key: 'maxQueuedMessages', applies: 'now', min: 0, max: 10_000_000, unit: 'messages' },
  { kind: 'boolean', key: 'queueQos0', applies: 'now' },
  { kind: 'number', key: 'queuedMessageExpiry', applies: 'now', min: 0, max: 0xffff_ffff, unit: 'seconds' },
  { kind: 'number', key: 'serverKeepAlive', applies: 'new', min: 0, max: 65_535, unit: 'seconds', optional: true },
  { kind: 'number', key: 'maxSessionExpiryInterval', applies: 'new', min: 0, max: 0xffff_ffff, unit: 'seconds' },
  { kind: 'number', key: 'topicAliasMaximum', applies: 'both', min: 0, max: 65_535, unit: 'messages' },
  { kind: 'boolean', key: 'outboundTopicAliases', applies: 'now' },
  { kind: 'boolean', key: 'wildcardSubscriptionAvailable', applies: 'both' },
  { kind: 'boolean', key: 'subscriptionIdentifiersAvailable', applies: 'both' },
  { kind: 'boolean', key: 'sharedSubscriptionAvailable', applies: 'both' },
  { kind: 'number', key: 'sysInterval', applies: 'now', min: 0, max: 86_400, unit: 'seconds' },
];

/** Anonymous access and users are checked when a client connects. */
export const ACCESS_APPLIES: Applies = 'new';
/** ACL rules are checked on every PUBLISH and SUBSCRIBE. */
export const ACL_APPLIES: Applies = 'now';

export type NumberProblem = { problem: 'wholeNumber' } | { problem: 'range'; min: number; max: number };

/**
 * A number field's text as the value to send: a whole number in range, or
 * `undefined` for an empty optional field ("the client's own").
 */
export function parseNumberSetting(def: Extract<SettingDef, { kind: 'number' }>, text: string): { ok: true; value: number | undefined } | { ok: false; error: NumberProblem } {
  const s = text.trim();
  if (s === '' && def.optional) return { ok: true, value: undefined };
  if (!/^\d+$/.test(s)) return { ok: false, error: { problem: 'wholeNumber' } };
  const value = Number(s);
  if (!Number.isSafeInteger(value) || value < def.min || value > def.max) return { ok: false, error: { problem: 'range', min: def.min, max: def.max } };
  return { ok: true, value };
}

/** A number setting's value as its field shows it. */
export function numberText(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** The setting a worker error names ("…: maximumPacketSize must be an integer from 64…"), if one. */
export function settingInError(error: string, keys: readonly string[] = LIMITS.map((d) => d.key)): string | undefined {
  let best: { key: string; at: number } | undefined;
  for (const key of keys) {
    const m = new RegExp(`\\b${key}\\b`).exec(error);
    if (m && (!best || m.index < best.at)) best = { key, at: m.index };
  }
  return best?.key;
}
