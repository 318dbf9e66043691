/**
 * The New Connection form's state: what the learner types (numbers as text,
 * so a wrong value can be shown and explained) and the ClientConfig it
 * becomes. The worker checks the config again and answers with per-field
 * problems.
 */
import type { ClientConfig } from '../../worker/api';

export interface UserPropertyRow {
  key: string;
  value: string;
}

export interface ConnectionForm {
  name: string;
  clientId: string;
  hostKind: 'in-page' | 'remote';
  url: string;
  version: '3' | '4' | '5';
  cleanStart: boolean;
  sessionExpiryInterval: string;
  keepalive: string;
  username: string;
  password: string;
  willEnabled: boolean;
  willTopic: string;
  willQos: '0' | '1' | '2';
  willRetain: boolean;
  willPayload: string;
  willDelayInterval: string;
  willMessageExpiry: string;
  willContentType: string;
  receiveMaximum: string;
  maximumPacketSize: string;
  topicAliasMaximum: string;
  requestResponseInformation: boolean;
  requestProblemInformation: boolean;
  userProperties: UserPropertyRow[];
  authMethod: '' | 'SCRAM-SHA-256';
  autoReconnect: boolean;
  reconnectPeriod: string;
}

/** A client ID like MQTTX makes: mqttx_ and 8 hex digits. */
export function generateClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `mqttx_${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function emptyForm(name: string): ConnectionForm {
  return {
    name, clientId: generateClientId(), hostKind: 'in-page', url: 'ws://127.0.0.1:8083/mqtt', version: '5', cleanStart: true,
    sessionExpiryInterval: '0', keepalive: '60', username: '', password: '', willEnabled: false, willTopic: '', willQos: '0',
    willRetain: false, willPayload: '', willDelayInterval: '0', willMessageExpiry: '', willContentType: '', receiveMaximum: '',
    maximumPacketSize: '', topicAliasMaximum: '', requestResponseInformation: false, requestProblemInformation: true,
    userProperties: [], authMethod: '', autoReconnect: false, reconnectPeriod: '4000',
  };
}

export function formFromConfig(c: ClientConfig): ConnectionForm {
  const w = c.will;
  const num = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    name: c.name, clientId: c.clientId, hostKind: c.host === 'in-page' ? 'in-page' : 'remote', url: c.host === 'in-page' ? 'ws://127.0.0.1:8083/mqtt' : c.host,
    version: String(c.version) as ConnectionForm['version'], cleanStart: c.cleanStart, sessionExpiryInterval: String(c.sessionExpiryInterval),
    keepalive: String(c.keepalive), username: c.username, password: c.password, willEnabled: w !== undefined, willTopic: w?.topic ?? '',
    willQos: String(w?.qos ?? 0) as ConnectionForm['willQos'], willRetain: w?.retain ?? false, willPayload: w?.payload ?? '',
    willDelayInterval: num(w?.delayInterval ?? 0), willMessageExpiry: num(w?.messageExpiryInterval), willContentType: w?.contentType ?? '',
    receiveMaximum: num(c.receiveMaximum), maximumPacketSize: num(c.maximumPacketSize), topicAliasMaximum: num(c.topicAliasMaximum),
    requestResponseInformation: c.requestResponseInformation ?? false, requestProblemInformation: c.requestProblemInformation ?? true,
    userProperties: (c.userProperties ?? []).map(([key, value]) => ({ key, value })), authMethod: c.authMethod === 'SCRAM-SHA-256' ? 'SCRAM-SHA-256' : '',
    autoReconnect: c.autoReconnect, reconnectPeriod: String(c.reconnectPeriod),
  };
}

export type FormProblems = Partial<Record<string, string>>;

/** The config, or the fields whose text is not a number where one is needed. */
export function configFromForm(f: ConnectionForm, wholeNumber: string): { config: ClientConfig } | { problems: FormProblems } {
  const problems: FormProblems = {};
  const int = (field: string, text: string, optional = false): number | undefined => {
    const s = text.trim();
    if (s === '' && optional) return undefined;
    if (!/^\d+$/.test(s)) {
      problems[field] = wholeNumber;
      return undefined;
    }
    return Number(s);
  };
  const version = Number(f.version) as 3 | 4 | 5;
  const keepalive = int('keepalive', f.keepalive);
  const sessionExpiryInterval = version === 5 ? int('sessionExpiryInterval', f.sessionExpiryInterval) : 0;
  const reconnectPeriod = int('reconnectPeriod', f.reconnectPeriod);
  const receiveMaximum = version === 5 ? int('receiveMaximum', f.receiveMaximum, true) : undefined;
  const maximumPacketSize = version === 5 ? int('maximumPacketSize', f.maximumPacketSize, true) : undefined;
  const topicAliasMaximum = version === 5 ? int('topicAliasMaximum', f.topicAliasMaximum, true) : undefined;
  const delayInterval = f.willEnabled && version === 5 ? int('will.delayInterval', f.willDelayInterval, true) : undefined;
  const messageExpiryInterval = f.willEnabled && version === 5 ? int('will.messageExpiryInterval', f.willMessageExpiry, true) : undefined;
  if (Object.keys(problems).length) return { problems };
  const config: ClientConfig = {
    name: f.name.trim(),
    clientId: f.clientId,
    host: f.hostKind === 'in-page' ? 'in-page' : f.url.trim(),
    version,
    cleanStart: f.cleanStart,
    sessionExpiryInterval: sessionExpiryInterval ?? 0,
    keepalive: keepalive!,
    username: f.username,
    password: f.password,
    will: f.willEnabled
      ? {
          topic: f.willTopic, qos: Number(f.willQos) as 0 | 1 | 2, retain: f.willRetain, payload: f.willPayload,
          ...(version === 5 ? { delayInterval, messageExpiryInterval, contentType: f.willContentType || undefined } : {}),
        }
      : undefined,
    autoReconnect: f.autoReconnect,
    reconnectPeriod: reconnectPeriod!,
  };
  if (version === 5) {
    if (receiveMaximum !== undefined) config.receiveMaximum = receiveMaximum;
    if (maximumPacketSize !== undefined) config.maximumPacketSize = maximumPacketSize;
    if (topicAliasMaximum !== undefined) config.topicAliasMaximum = topicAliasMaximum;
    config.requestResponseInformation = f.requestResponseInformation;
    config.requestProblemInformation = f.requestProblemInformation;
    const props = f.userProperties.filter((p) => p.key !== '').map((p): [string, string] => [p.key, p.value]);
    if (props.length) config.userProperties = props;
    if (f.authMethod) config.authMethod = f.authMethod;
  }
  return { config };
}
