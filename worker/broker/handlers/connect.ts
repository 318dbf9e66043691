/**
 * CONNECT (§3.1.4): validate, authenticate (by password or an enhanced
 * method), take over a live connection with the same client identifier,
 * start or resume the session, and answer CONNACK with what the broker
 * supports. Then whatever the session held flows again.
 */
import type { ConnackPacket, ConnectPacket, Properties } from '../../protocol';
import { parseStoredPassword } from '../auth/passwords';
import type { AuthCredentials } from '../auth/scram';
import type { BrokerConfig } from '../config';
import type { Connection } from '../connection';
import { NEVER_EXPIRES } from '../registry';
import { validateConnect } from './connect-validate';
import { takeOver } from './session-takeover';

export function handleConnect(c: Connection, p: ConnectPacket): void {
  const b = c.broker;
  c.version = p.protocolVersion;
  c.clientId = p.clientId;
  if (p.properties?.requestProblemInformation === false) c.requestProblemInformation = false;
  const refusal = validateConnect(p, b.config);
  if (refusal) return c.refuse(refusal.reasonCode, refusal.reason);

  const method = p.properties?.authenticationMethod;
  if (method === undefined) return accept(c, p, undefined);
  const m = b.authMethods.get(method);
  if (!m) return c.refuse(0x8c, `authentication method "${method}" is not supported; this broker knows ${[...b.authMethods.keys()].join(', ')}`);
  const session = m.start(credentials(b.config));
  c.auth = { method, session, connect: p };
  b.emit({ kind: 'auth', clientId: p.clientId, method, step: 'started' });
  continueAuth(c, p.properties?.authenticationData);
}

/** Feeds one step of enhanced authentication (CONNECT's data, then each AUTH's). */
export function continueAuth(c: Connection, data: Uint8Array | undefined): void {
  const a = c.auth!;
  const step = a.session.step(data);
  const b = c.broker;
  if (step.kind !== 'continue') a.reauthenticating = false;
  if (step.kind === 'continue') {
    // other packets keep flowing during a re-authentication (§4.12.1): only a first one holds the connection
    if (c.state !== 'connected') c.state = 'authenticating';
    b.emit({ kind: 'auth', clientId: c.clientId, method: a.method, step: 'continue' });
    c.send({ type: 'auth', reasonCode: 0x18, properties: { authenticationMethod: a.method, authenticationData: step.data } });
  } else if (step.kind === 'failure') {
    b.emit({ kind: 'auth', clientId: c.clientId, method: a.method, step: `failed: ${step.reason}` });
    if (c.state === 'connected') c.disconnect(step.reasonCode === 0x8c ? 0x8c : 0x87, step.reason);
    else c.refuse(step.reasonCode, step.reason);
  } else {
    b.emit({ kind: 'auth', clientId: c.clientId, method: a.method, step: 'succeeded' });
    c.username = step.username;
    const props: Properties = { authenticationMethod: a.method };
    if (step.data) props.authenticationData = step.data;
    // re-authentication ends with AUTH Success, the first authentication with CONNACK
    if (c.state === 'connected') c.send({ type: 'auth', reasonCode: 0, properties: props });
    else accept(c, a.connect, props);
  }
}

export function credentials(config: BrokerConfig): AuthCredentials {
  return {
    lookup(username) {
      const u = config.users.find((x) => x.username === username);
      return u ? parseStoredPassword(u.password) : undefined;
    },
  };
}

function accept(c: Connection, p: ConnectPacket, authProps: Properties | undefined): void {
  const b = c.broker;
  const cfg = b.config;
  const v5 = p.protocolVersion === 5;
  if (!c.auth) c.username = p.username;
  let assigned: string | undefined;
  if (p.clientId === '') c.clientId = assigned = b.nextAssignedClientId(); // [MQTT-3.1.3-6]
  const clientId = c.clientId;

  takeOver(c);
  let s = b.registry.get(clientId);
  let sessionPresent = false;
  if (s && !p.cleanStart) {
    sessionPresent = true; // [MQTT-3.2.2-3]
    b.registry.cancelExpiry(clientId);
    if (b.wills.cancel(clientId)) b.emit({ kind: 'will-cancelled', clientId, reason: 'the client reconnected within the Will Delay Interval' });
    b.emit({ kind: 'session-resumed', clientId });
  } else {
    if (s) b.registry.end(s, 'Clean Start: the client asked for a new session'); // [MQTT-3.1.2-4]
    s = b.createSession(clientId);
  }

  const requested = v5 ? (p.properties?.sessionExpiryInterval ?? 0) : p.cleanStart ? 0 : NEVER_EXPIRES;
  const granted = Math.min(requested, cfg.maxSessionExpiryInterval);
  s.expiryInterval = granted;
  s.version = p.protocolVersion;
  s.disconnectedAt = undefined;
  if (!sessionPresent) b.emit({ kind: 'session-created', clientId, expiryInterval: granted });

  const props = p.properties ?? {};
  c.keepalive = cfg.serverKeepAlive ?? p.keepalive;
  c.window = v5 ? (props.receiveMaximum ?? 65535) : cfg.maxInflight;
  if (props.maximumPacketSize !== undefined) c.maximumPacketSize = props.maximumPacketSize;
  c.topicAliasMaximum = props.topicAliasMaximum ?? 0;
  c.will = p.will;

  const connack: ConnackPacket = { type: 'connack', sessionPresent, reasonCode: 0 };
  if (v5) connack.properties = capabilities(cfg, { assigned, granted, requested, p, authProps });
  c.send(connack);

  c.state = 'connected';
  s.outlet = c;
  c.session = s;
  b.stats.connected++;
  b.emit({ kind: 'client-connected', clientId, version: p.protocolVersion, sessionPresent, cleanStart: p.cleanStart });
  c.startKeepAlive();
  // the unacknowledged first, with DUP, then what queued while offline [MQTT-4.4.0-1]
  s.resend();
  s.pump(b.clock.now());
  b.sessionChanged(s);
}

interface CapabilityInputs {
  assigned: string | undefined;
  granted: number;
  requested: number;
  p: ConnectPacket;
  authProps: Properties | undefined;
}

/** The CONNACK properties of a 5.0 connection: what this broker supports and what it decided. */
function capabilities(cfg: BrokerConfig, x: CapabilityInputs): Properties {
  const props: Properties = {
    receiveMaximum: cfg.receiveMaximum,
    retainAvailable: cfg.retainAvailable,
    maximumPacketSize: cfg.maximumPacketSize,
    topicAliasMaximum: cfg.topicAliasMaximum,
    wildcardSubscriptionAvailable: cfg.wildcardSubscriptionAvailable,
    subscriptionIdentifiersAvailable: cfg.subscriptionIdentifiersAvailable,
    sharedSubscriptionAvailable: cfg.sharedSubscriptionAvailable,
  };
  if (cfg.maximumQoS < 2) props.maximumQoS = cfg.maximumQoS;
  if (x.assigned !== undefined) props.assignedClientIdentifier = x.assigned; // [MQTT-3.2.2-16]
  if (x.granted !== x.requested) props.sessionExpiryInterval = x.granted;
  if (cfg.serverKeepAlive !== undefined) props.serverKeepAlive = cfg.serverKeepAlive; // [MQTT-3.2.2-21]
  if (x.p.properties?.requestResponseInformation && cfg.responseInformation) props.responseInformation = cfg.responseInformation;
  if (x.authProps) Object.assign(props, x.authProps);
  return props;
}
