/**
 * What the message list says about a message besides its payload: its time
 * on the simulation clock, the MQTT 5.0 properties it carries, and reason
 * codes as "0x87 Not authorized".
 */
import type { Properties, QoS } from '../../worker/protocol/types';
import { reasonInfo, type ReasonPacket } from '../../worker/protocol/reason-codes';
import { hex } from './payload-render';

const two = (n: number) => String(n).padStart(2, '0');
const three = (n: number) => String(n).padStart(3, '0');

/** "14:03:27.125", in the page's time zone. */
export function formatTime(at: number): string {
  const d = new Date(at);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${three(d.getMilliseconds())}`;
}

/** "2024-05-01 14:03:27.125", in the page's time zone. */
export function formatDateTime(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${formatTime(at)}`;
}

/** "0x87 Not authorized": the code in hex and its name in `packet`. */
export function reasonLabel(code: number, packet?: ReasonPacket): string {
  const name = (packet && reasonInfo(code, packet)?.name) ?? reasonInfo(code)?.name ?? 'Unknown reason code';
  return `0x${code.toString(16).padStart(2, '0')} ${name}`;
}

/** The packet whose reason code acknowledges a publication of `qos`. */
export function ackPacket(qos: QoS): ReasonPacket {
  return qos === 2 ? 'pubrec' : 'puback';
}

/** The keys of the words naming each property in the UI. */
export type PropertyLabel =
  | 'msgUserProperties' | 'msgContentType' | 'msgPayloadFormatIndicator' | 'msgMessageExpiryInterval' | 'msgResponseTopic'
  | 'msgCorrelationData' | 'msgSubscriptionIdentifier' | 'msgTopicAlias';

export interface PropertyRow {
  label: PropertyLabel;
  /** The value as text; for user properties one row per pair, as "key: value". */
  value: string;
  /** Whether the value is bytes or an identifier, best shown in monospace. */
  mono: boolean;
  /** For the payload format indicator: which words describe it. */
  words?: 'msgPayloadUtf8' | 'msgPayloadBytes';
  /** For intervals: the unit. */
  seconds?: boolean;
}

/** Bytes of correlation data shown. */
export const CORRELATION_LIMIT = 64;

/** The PUBLISH properties worth showing next to a message, in the order of the specification. */
export function messageProperties(p: Properties | undefined): PropertyRow[] {
  if (!p) return [];
  const rows: PropertyRow[] = [];
  if (p.payloadFormatIndicator !== undefined) {
    rows.push({ label: 'msgPayloadFormatIndicator', value: p.payloadFormatIndicator ? '1' : '0', mono: false, words: p.payloadFormatIndicator ? 'msgPayloadUtf8' : 'msgPayloadBytes' });
  }
  if (p.messageExpiryInterval !== undefined) rows.push({ label: 'msgMessageExpiryInterval', value: String(p.messageExpiryInterval), mono: false, seconds: true });
  if (p.contentType !== undefined) rows.push({ label: 'msgContentType', value: p.contentType, mono: false });
  if (p.responseTopic !== undefined) rows.push({ label: 'msgResponseTopic', value: p.responseTopic, mono: true });
  if (p.correlationData !== undefined) {
    const d = p.correlationData;
    const shown = hex(d.subarray(0, CORRELATION_LIMIT));
    rows.push({ label: 'msgCorrelationData', value: d.length > CORRELATION_LIMIT ? `${shown} … (${d.length} B)` : shown, mono: true });
  }
  if (p.subscriptionIdentifier !== undefined) {
    const ids = Array.isArray(p.subscriptionIdentifier) ? p.subscriptionIdentifier : [p.subscriptionIdentifier];
    rows.push({ label: 'msgSubscriptionIdentifier', value: ids.join(', '), mono: true });
  }
  if (p.topicAlias !== undefined) rows.push({ label: 'msgTopicAlias', value: String(p.topicAlias), mono: true });
  for (const [k, v] of p.userProperties ?? []) rows.push({ label: 'msgUserProperties', value: `${k}: ${v}`, mono: false });
  return rows;
}
