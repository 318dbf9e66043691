/**
 * The publish bar's form: what the learner types (numbers as text, so a
 * wrong value can be shown and explained) and the PUBLISH request it
 * becomes, or a problem per field. Problems are message keys with their
 * parameters; the component translates them.
 */
import type { Properties, QoS } from '../../worker/protocol/types';
import { topicNameProblem } from '../../worker/protocol/topic';
import type { MessageKey } from './i18n/en';
import { encodePayload, parseHex, type PayloadFormat, type PayloadProblem } from './payload-encode';

export interface UserPropertyRow {
  key: string;
  value: string;
}

/** MQTT 5.0 properties of a PUBLISH, as typed. */
export interface PropertiesForm {
  userProperties: UserPropertyRow[];
  contentType: string;
  /** '' not sent, '0' unspecified bytes, '1' UTF-8 text. */
  payloadFormatIndicator: '' | '0' | '1';
  messageExpiryInterval: string;
  responseTopic: string;
  correlationData: string;
  correlationFormat: 'text' | 'hex';
  topicAlias: string;
}

/** Everything the publish bar holds for one connection. */
export interface PublishDraft {
  topic: string;
  qos: QoS;
  retain: boolean;
  payload: string;
  format: PayloadFormat;
  properties: PropertiesForm;
}

export interface PublishRequestShape {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Properties;
}

export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Field -> problem; fields are 'topic', 'payload', 'contentType', 'userProperty.2.key'... Positions are 1-based. */
export type PublishProblems = Partial<Record<string, Problem>>;

const MAX_STRING_BYTES = 65_535;
const MAX_FOUR_BYTE = 4_294_967_295;

export function emptyProperties(): PropertiesForm {
  return { userProperties: [], contentType: '', payloadFormatIndicator: '', messageExpiryInterval: '', responseTopic: '', correlationData: '', correlationFormat: 'text', topicAlias: '' };
}

export function emptyDraft(): PublishDraft {
  return { topic: 'testtopic/1', qos: 0, retain: false, payload: '', format: 'plaintext', properties: emptyProperties() };
}

/** A deep copy, so a history entry and the bar never share rows. */
export function cloneDraft(d: PublishDraft): PublishDraft {
  return { ...d, properties: { ...d.properties, userProperties: d.properties.userProperties.map((r) => ({ ...r })) } };
}

/** Why `topic` cannot be published to (through topicNameProblem), as a message key. */
export function topicProblem(topic: string): Problem | undefined {
  const p = topicNameProblem(topic);
  if (p === null) return undefined;
  if (topic === '') return { key: 'pubTopicRequired' };
  if (topic.includes('+') || topic.includes('#')) return { key: 'pubTopicWildcard' };
  return { key: 'pubTopicInvalid', params: { detail: p } };
}

export function payloadProblem(p: PayloadProblem): Problem {
  switch (p.kind) {
    case 'text-ill-formed':
      return { key: 'pubTextIllFormed', params: { position: p.index + 1 } };
    case 'json':
      return { key: 'pubJsonInvalid', params: { detail: p.detail } };
    case 'hex-char':
      return { key: 'pubHexChar', params: { char: p.char, position: p.index + 1 } };
    case 'hex-odd':
      return { key: 'pubHexOdd', params: { group: p.group } };
    case 'base64-char':
      return { key: 'pubBase64Char', params: { char: p.char, position: p.index + 1 } };
    case 'base64-length':
      return { key: 'pubBase64Length' };
  }
}

/** A UTF-8 string property: no U+0000, no lone surrogate, at most 65,535 bytes (§1.5.4). */
function stringProblem(s: string): Problem | undefined {
  const bytes = encodePayload(s, 'plaintext');
  if (!bytes.ok) return payloadProblem(bytes.problem);
  if (s.includes('\u0000')) return { key: 'pubStringNull' }; // [MQTT-1.5.4-2]
  if (bytes.bytes.length > MAX_STRING_BYTES) return { key: 'pubStringTooLong' };
  return undefined;
}

function wholeNumber(text: string, min: number, max: number): number | Problem {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return { key: 'wholeNumber' };
  const n = Number(s);
  if (n < min || n > max) return { key: 'pubRange', params: { min, max } };
  return n;
}

/** The properties of the PUBLISH, or the problems of the fields that are wrong. */
export function propertiesFromForm(f: PropertiesForm, payload: Uint8Array | undefined): { properties: Properties; problems: PublishProblems } {
  const problems: PublishProblems = {};
  const properties: Properties = {};
  const userProperties: [string, string][] = [];
  f.userProperties.forEach((row, i) => {
    const key = row.key === '' ? { key: 'required' as const } : stringProblem(row.key);
    if (key) problems[`userProperty.${i}.key`] = key;
    const value = stringProblem(row.value);
    if (value) problems[`userProperty.${i}.value`] = value;
    userProperties.push([row.key, row.value]);
  });
  if (userProperties.length) properties.userProperties = userProperties;
  if (f.contentType !== '') {
    const p = stringProblem(f.contentType);
    if (p) problems.contentType = p;
    else properties.contentType = f.contentType;
  }
  if (f.payloadFormatIndicator !== '') {
    properties.payloadFormatIndicator = f.payloadFormatIndicator === '1';
    // [MQTT-3.3.2-4]: an indicator of 1 promises UTF-8; the receiver may refuse it with 0x99
    if (properties.payloadFormatIndicator && payload && !isUtf8(payload)) problems.payloadFormatIndicator = { key: 'pubPayloadNotUtf8' };
  }
  if (f.messageExpiryInterval.trim() !== '') {
    const n = wholeNumber(f.messageExpiryInterval, 0, MAX_FOUR_BYTE);
    if (typeof n === 'number') properties.messageExpiryInterval = n;
    else problems.messageExpiryInterval = n;
  }
  if (f.responseTopic !== '') {
    const p = topicProblem(f.responseTopic); // [MQTT-3.3.2-14]: a topic name, no wildcards
    if (p) problems.responseTopic = p;
    else properties.responseTopic = f.responseTopic;
  }
  if (f.correlationData !== '') {
    const r = f.correlationFormat === 'hex' ? parseHex(f.correlationData) : encodePayload(f.correlationData, 'plaintext');
    if (!r.ok) problems.correlationData = payloadProblem(r.problem);
    else if (r.bytes.length > MAX_STRING_BYTES) problems.correlationData = { key: 'pubStringTooLong' };
    else properties.correlationData = r.bytes;
  }
  if (f.topicAlias.trim() !== '') {
    const n = wholeNumber(f.topicAlias, 1, 65_535); // [MQTT-3.3.2-8]: 0 is not a topic alias
    if (typeof n === 'number') properties.topicAlias = n;
    else problems.topicAlias = n;
  }
  return { properties, problems };
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The request for store.api.publish, or the problems to show. Properties only for MQTT 5.0. */
export function buildPublish(d: PublishDraft, v5: boolean): { request: PublishRequestShape } | { problems: PublishProblems } {
  const problems: PublishProblems = {};
  const topic = topicProblem(d.topic);
  if (topic) problems.topic = topic;
  const payload = encodePayload(d.payload, d.format);
  if (!payload.ok) problems.payload = payloadProblem(payload.problem);
  let properties: Properties | undefined;
  if (v5) {
    const r = propertiesFromForm(d.properties, payload.ok ? payload.bytes : undefined);
    Object.assign(problems, r.problems);
    if (Object.keys(r.properties).length) properties = r.properties;
  }
  if (Object.keys(problems).length || !payload.ok) return { problems };
  const request: PublishRequestShape = { topic: d.topic, payload: payload.bytes, qos: d.qos, retain: d.retain };
  if (properties) request.properties = properties;
  return { request };
}

/** How many 5.0 properties the form would send (for the collapsed section's summary). */
export function propertyCount(f: PropertiesForm): number {
  let n = f.userProperties.length;
  for (const v of [f.contentType, f.payloadFormatIndicator, f.messageExpiryInterval.trim(), f.responseTopic, f.correlationData, f.topicAlias.trim()]) if (v !== '') n++;
  return n;
}
