/**
 * The client engine: MQTT 3.1, 3.1.1 and 5.0 protocol state with no I/O and
 * no timers (rumqttc's state.rs). Each call takes the current time and
 * returns the packets to send and the events to report; virtual-client.ts
 * ties it to a Link and a Clock. The same engine serves the in-page virtual
 * clients, scripts, and clients of remote brokers.
 */
import { encode, MAX_PACKET_SIZE, MqttError, protocolError, topicNameProblem, type ConnackPacket, type ConnectPacket, type Packet, type Properties, type PublishPacket } from '../protocol';
import type { ClientEvent } from './events';
import type { ClientOptions, PublishOptions, SubscribeOptions } from './options';
import { Outbound } from './outbound';

export interface Step {
  send: Packet[];
  events: ClientEvent[];
}

export type ClientStatus = 'disconnected' | 'connecting' | 'authenticating' | 'connected';

/** What the server told us in CONNACK (5.0), or the defaults of 3.1.1. */
export interface ServerLimits {
  receiveMaximum: number;
  maximumQoS: number;
  retainAvailable: boolean;
  maximumPacketSize: number;
  topicAliasMaximum: number;
  wildcardSubscriptionAvailable: boolean;
  subscriptionIdentifiersAvailable: boolean;
  sharedSubscriptionAvailable: boolean;
}

const DEFAULT_LIMITS: ServerLimits = {
  receiveMaximum: 65535, maximumQoS: 2, retainAvailable: true, maximumPacketSize: MAX_PACKET_SIZE, topicAliasMaximum: 0,
  wildcardSubscriptionAvailable: true, subscriptionIdentifiersAvailable: true, sharedSubscriptionAvailable: true,
};

export class ClientState {
  readonly options: ClientOptions;
  status: ClientStatus = 'disconnected';
  /** The client identifier in use (the server may have assigned it). */
  clientId: string;
  server: ServerLimits = { ...DEFAULT_LIMITS };
  /** Keep alive in force, in seconds (the server may override ours). */
  keepalive: number;
  readonly outbound = new Outbound();
  /** QoS 2 messages received, PUBREC sent, awaiting PUBREL. */
  readonly inboundQos2 = new Set<number>();
  #requests = new Map<number, { kind: 'subscribe' | 'unsubscribe'; topicFilters: string[] }>();
  #inAliases = new Map<number, string>();
  #outAliases = new Map<string, number>();
  #lastSent = 0;
  #pingSentAt: number | undefined;
  /** The Session Expiry Interval in force (5.0); 3.1.1 maps Clean Session. */
  #sessionExpiry = 0;

  constructor(options: ClientOptions) {
    this.options = options;
    this.clientId = options.clientId;
    this.keepalive = options.keepalive;
  }

  get v5(): boolean {
    return this.options.version === 5;
  }

  /** The session outlives a connection: unacknowledged messages are kept for the next one. */
  get persistent(): boolean {
    return this.v5 ? this.#sessionExpiry > 0 : !this.options.cleanStart;
  }

  /** Starts a connection: the CONNECT to send. */
  connect(now: number): Step {
    const o = this.options;
    this.status = 'connecting';
    this.#inAliases.clear();
    this.#outAliases.clear();
    this.#pingSentAt = undefined;
    this.server = { ...DEFAULT_LIMITS };
    this.keepalive = o.keepalive;
    const p: ConnectPacket = {
      type: 'connect', protocolName: o.version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: o.version,
      cleanStart: o.cleanStart, keepalive: o.keepalive, clientId: this.clientId,
    };
    if (o.will) p.will = o.will;
    if (o.username !== undefined) p.username = o.username;
    if (o.password !== undefined) p.password = o.password;
    if (this.v5) {
      const props: Properties = {};
      if (o.sessionExpiryInterval) props.sessionExpiryInterval = o.sessionExpiryInterval;
      if (o.receiveMaximum !== undefined) props.receiveMaximum = o.receiveMaximum;
      if (o.maximumPacketSize !== undefined) props.maximumPacketSize = o.maximumPacketSize;
      if (o.topicAliasMaximum) props.topicAliasMaximum = o.topicAliasMaximum;
      if (o.requestResponseInformation) props.requestResponseInformation = true;
      if (o.requestProblemInformation === false) props.requestProblemInformation = false;
      if (o.userProperties?.length) props.userProperties = o.userProperties;
      if (o.authenticator) {
        props.authenticationMethod = o.authenticator.method;
        const data = o.authenticator.first();
        if (data) props.authenticationData = data;
      }
      if (Object.keys(props).length) p.properties = props;
      this.#sessionExpiry = o.sessionExpiryInterval ?? 0;
    }
    return this.#out([p], [], now);
  }

  /** A packet from the server. Protocol violations end in a 'protocol-error' and 'close'. */
  handle(p: Packet, now: number): Step {
    try {
      return this.#handle(p, now);
    } catch (e) {
      const err = e instanceof MqttError ? e : new MqttError(0x83, String(e));
      const send: Packet[] = [];
      if (this.v5 && this.status === 'connected') send.push({ type: 'disconnect', reasonCode: err.reasonCode, properties: { reasonString: err.message } });
      this.#lost();
      return this.#out(send, [{ kind: 'protocol-error', reasonCode: err.reasonCode, reason: err.message }, { kind: 'close', reason: err.message }], now);
    }
  }

  #handle(p: Packet, now: number): Step {
    if (this.status === 'connecting' || this.status === 'authenticating') {
      if (p.type === 'connack') return this.#connack(p, now);
      if (p.type === 'auth' && this.v5) return this.#auth(p.reasonCode, p.properties, now);
      throw protocolError(`the server sent ${p.type.toUpperCase()} before CONNACK`); // [MQTT-3.2.0-1]
    }
    if (this.status !== 'connected') return this.#out([], [], now);
    switch (p.type) {
      case 'publish': return this.#publish(p, now);
      case 'puback': {
        this.#expectQos(p.packetId, 1, 'PUBACK');
        return this.#finish(p.packetId, 'publish', p.reasonCode ?? 0, now);
      }
      case 'pubrec': {
        this.#expectQos(p.packetId, 2, 'PUBREC');
        const code = p.reasonCode ?? 0;
        if (code >= 0x80) return this.#finish(p.packetId, 'publish', code, now); // the receiver refused it [MQTT-4.3.3-4]
        const f = this.outbound.inflight.get(p.packetId);
        if (f) f.state = 'pubrel';
        return this.#out([{ type: 'pubrel', packetId: p.packetId, ...(this.v5 ? { reasonCode: f ? 0 : 0x92 } : {}) }], [], now);
      }
      case 'pubcomp': return this.#finish(p.packetId, 'pubrel', p.reasonCode ?? 0, now);
      case 'pubrel': {
        const known = this.inboundQos2.delete(p.packetId);
        return this.#out([{ type: 'pubcomp', packetId: p.packetId, ...(this.v5 ? { reasonCode: known ? 0 : 0x92 } : {}) }], [], now);
      }
      case 'suback':
      case 'unsuback': {
        const req = this.#requests.get(p.packetId);
        if (!req) return this.#out([], [], now);
        this.#requests.delete(p.packetId);
        this.outbound.release(p.packetId);
        const reasonCodes = p.reasonCodes ?? req.topicFilters.map(() => 0);
        const ev: ClientEvent = p.type === 'suback'
          ? { kind: 'subscribed', packetId: p.packetId, topicFilters: req.topicFilters, reasonCodes, properties: p.properties }
          : { kind: 'unsubscribed', packetId: p.packetId, topicFilters: req.topicFilters, reasonCodes };
        return this.#out([], [ev], now);
      }
      case 'pingresp': {
        const latency = this.#pingSentAt === undefined ? 0 : now - this.#pingSentAt;
        this.#pingSentAt = undefined;
        return this.#out([], [{ kind: 'pong', latency }], now);
      }
      case 'disconnect': {
        const reason = p.properties?.reasonString ?? `reason code 0x${(p.reasonCode ?? 0).toString(16)}`;
        this.#lost();
        return this.#out([], [{ kind: 'server-disconnect', packet: p, reason }, { kind: 'close', reason: `the server disconnected: ${reason}` }], now);
      }
      case 'auth': return this.#auth(p.reasonCode, p.properties, now);
      default: throw protocolError(`a server must not send ${p.type.toUpperCase()}`);
    }
  }

  #connack(p: ConnackPacket, now: number): Step {
    if (p.reasonCode !== 0) {
      this.status = 'disconnected';
      const reason = p.properties?.reasonString ?? `reason code 0x${p.reasonCode.toString(16)}`;
      return this.#out([], [{ kind: 'refused', reasonCode: p.reasonCode, reason }, { kind: 'close', reason: `connection refused: ${reason}` }], now);
    }
    // with Clean Start we have no session, so the server cannot have one either [MQTT-3.2.2-4] (3.1.1: [MQTT-3.2.2-1])
    if (p.sessionPresent && this.options.cleanStart) throw protocolError('Session Present is 1, but we connected with Clean Start');
    const props = p.properties ?? {};
    const auth = this.options.authenticator;
    if (auth && !auth.verify(props.authenticationData)) {
      this.#lost();
      return this.#out([], [{ kind: 'protocol-error', reasonCode: 0x87, reason: "the server's final authentication data did not verify" }, { kind: 'close', reason: 'authentication failed' }], now);
    }
    this.status = 'connected';
    const assigned = props.assignedClientIdentifier;
    if (assigned) this.clientId = assigned;
    if (props.serverKeepAlive !== undefined) this.keepalive = props.serverKeepAlive; // [MQTT-3.1.2-21]
    if (props.sessionExpiryInterval !== undefined) this.#sessionExpiry = props.sessionExpiryInterval;
    const s = this.server;
    if (props.receiveMaximum !== undefined) s.receiveMaximum = props.receiveMaximum;
    if (props.maximumQoS !== undefined) s.maximumQoS = props.maximumQoS;
    if (props.retainAvailable !== undefined) s.retainAvailable = props.retainAvailable;
    if (props.maximumPacketSize !== undefined) s.maximumPacketSize = props.maximumPacketSize;
    if (props.topicAliasMaximum !== undefined) s.topicAliasMaximum = props.topicAliasMaximum;
    if (props.wildcardSubscriptionAvailable !== undefined) s.wildcardSubscriptionAvailable = props.wildcardSubscriptionAvailable;
    if (props.subscriptionIdentifiersAvailable !== undefined) s.subscriptionIdentifiersAvailable = props.subscriptionIdentifiersAvailable;
    if (props.sharedSubscriptionAvailable !== undefined) s.sharedSubscriptionAvailable = props.sharedSubscriptionAvailable;

    const send: Packet[] = [];
    if (p.sessionPresent) {
      // the unacknowledged again, in order, PUBLISH with DUP [MQTT-4.4.0-1]
      for (const [id, f] of this.outbound.inflight) {
        send.push(f.state === 'pubrel' ? { type: 'pubrel', packetId: id, ...(this.v5 ? { reasonCode: 0 } : {}) } : { ...f.packet, dup: true });
      }
    } else {
      // the server has no session, so ours goes too (§4.1); the messages are sent again as new ones
      this.inboundQos2.clear();
      this.#requeue();
    }
    const events: ClientEvent[] = [{ kind: 'connected', connack: p, sessionPresent: p.sessionPresent, assignedClientId: assigned }];
    send.push(...this.#drain(events));
    return this.#out(send, events, now);
  }

  #auth(reasonCode: number, props: Properties | undefined, now: number): Step {
    const auth = this.options.authenticator;
    if (!auth) throw protocolError('AUTH from the server, but no enhanced authentication was asked for');
    if (props?.authenticationMethod !== auth.method) throw protocolError(`AUTH uses "${props?.authenticationMethod}", not "${auth.method}"`);
    if (reasonCode === 0) {
      // re-authentication done
      if (!auth.verify(props.authenticationData)) throw new MqttError(0x87, "the server's authentication data did not verify");
      return this.#out([], [{ kind: 'auth', step: 'succeeded' }], now);
    }
    if (reasonCode !== 0x18) throw protocolError(`AUTH reason 0x${reasonCode.toString(16)} from the server`);
    if (this.status === 'connecting') this.status = 'authenticating';
    const data = auth.next(props.authenticationData);
    const answer: Properties = { authenticationMethod: auth.method };
    if (data) answer.authenticationData = data;
    return this.#out([{ type: 'auth', reasonCode: 0x18, properties: answer }], [{ kind: 'auth', step: 'continue' }], now);
  }

  #publish(p: PublishPacket, now: number): Step {
    let topic = p.topic;
    const alias = p.properties?.topicAlias;
    if (alias !== undefined) {
      const max = this.options.topicAliasMaximum ?? 0;
      if (alias > max) throw new MqttError(0x94, `Topic Alias ${alias} is above our Topic Alias Maximum ${max}`); // [MQTT-3.3.2-10]
      if (topic) this.#inAliases.set(alias, topic);
      else {
        const known = this.#inAliases.get(alias);
        if (known === undefined) throw protocolError(`Topic Alias ${alias} was never set`);
        topic = known;
      }
    }
    const send: Packet[] = [];
    const events: ClientEvent[] = [];
    if (p.qos === 2) {
      const id = p.packetId!;
      const dup = this.inboundQos2.has(id);
      if (!dup) {
        const max = this.options.receiveMaximum ?? 65535;
        if (this.v5 && this.inboundQos2.size >= max) throw new MqttError(0x93, `more than our Receive Maximum of ${max} QoS 2 messages unreleased`); // [MQTT-3.3.4-9]
        this.inboundQos2.add(id);
        events.push({ kind: 'message', packet: p, topic, duplicate: false });
      }
      send.push({ type: 'pubrec', packetId: id, ...(this.v5 ? { reasonCode: 0 } : {}) });
    } else {
      events.push({ kind: 'message', packet: p, topic, duplicate: p.dup });
      if (p.qos === 1) send.push({ type: 'puback', packetId: p.packetId!, ...(this.v5 ? { reasonCode: 0 } : {}) });
    }
    return this.#out(send, events, now);
  }

  /** A PUBACK must answer a QoS 1 PUBLISH, a PUBREC a QoS 2 one (§4.3.2, §4.3.3). */
  #expectQos(id: number, qos: 1 | 2, what: string): void {
    const f = this.outbound.inflight.get(id);
    if (f && f.packet.qos !== qos) throw protocolError(`${what} for packet identifier ${id}, a QoS ${f.packet.qos} message`);
  }

  #finish(id: number, stage: 'publish' | 'pubrel', reasonCode: number, now: number): Step {
    const f = this.outbound.finish(id, stage);
    if (!f) return this.#out([], [], now);
    const events: ClientEvent[] = [{ kind: 'published', packetId: id, topic: f.packet.topic, qos: f.packet.qos, reasonCode }];
    return this.#out(this.#drain(events), events, now);
  }

  /**
   * Sends what waits, as far as the server's Receive Maximum allows [MQTT-4.9.0-2].
   * A message the server cannot accept (queued before its CONNACK said so) fails
   * with a 'published' event on `events`, instead of costing the connection.
   */
  #drain(events: ClientEvent[]): Packet[] {
    const send: Packet[] = [];
    const w = this.outbound.waiting;
    let i = 0;
    for (; i < w.length; i++) {
      const p = w[i]!;
      const refused = this.#refusal(p);
      if (refused) {
        if (p.packetId !== undefined) this.outbound.release(p.packetId);
        events.push({ kind: 'published', packetId: p.packetId, topic: p.topic, qos: p.qos, reasonCode: refused.reasonCode });
        continue;
      }
      if (p.qos > 0) {
        if (this.outbound.inflight.size >= this.server.receiveMaximum) break;
        if (p.packetId === undefined) p.packetId = this.outbound.allocate();
        this.outbound.start(p);
      }
      send.push(this.#withAlias(p));
    }
    this.outbound.waiting = w.slice(i);
    return send;
  }

  #withAlias(p: PublishPacket): PublishPacket {
    if (!this.v5 || !this.options.topicAliases || this.server.topicAliasMaximum === 0 || !p.topic) return p;
    const known = this.#outAliases.get(p.topic);
    if (known !== undefined) return { ...p, topic: '', properties: { ...p.properties, topicAlias: known } };
    if (this.#outAliases.size >= this.server.topicAliasMaximum) return p;
    const alias = this.#outAliases.size + 1;
    this.#outAliases.set(p.topic, alias);
    return { ...p, properties: { ...p.properties, topicAlias: alias } };
  }

  /** Why the server cannot take `p`, by what its CONNACK said; undefined when it can. */
  #refusal(p: PublishPacket): { reasonCode: number; reason: string } | undefined {
    const s = this.server;
    if (p.qos > s.maximumQoS) return { reasonCode: 0x9b, reason: `the server's Maximum QoS is ${s.maximumQoS}` }; // [MQTT-3.2.2-11]
    if (p.retain && !s.retainAvailable) return { reasonCode: 0x9a, reason: 'the server does not support retained messages' }; // [MQTT-3.2.2-14]
    if (s.maximumPacketSize < MAX_PACKET_SIZE) {
      const size = encode({ ...p, packetId: p.packetId ?? 1 }, this.options.version).length;
      if (size > s.maximumPacketSize) return { reasonCode: 0x95, reason: `the PUBLISH of ${size} bytes exceeds the server's Maximum Packet Size of ${s.maximumPacketSize}` }; // [MQTT-3.2.2-15]
    }
    return undefined;
  }

  /** Publishes, or queues until connected / until the send quota allows. Throws Error on a request the server cannot accept. */
  publish(o: PublishOptions, now: number): Step & { packetId: number | undefined } {
    const problem = topicNameProblem(o.topic);
    if (problem) throw new Error(problem);
    const p: PublishPacket = { type: 'publish', topic: o.topic, payload: o.payload, qos: o.qos, retain: o.retain, dup: false };
    if (this.v5 && o.properties && Object.keys(o.properties).length) p.properties = o.properties;
    if (this.status === 'connected') {
      const refused = this.#refusal(p);
      if (refused) throw new Error(refused.reason);
    }
    if (o.qos > 0) p.packetId = this.outbound.allocate();
    const out = this.outbound;
    // the usual case, nothing waiting and room in the window: straight out, no queue
    if (this.status === 'connected' && out.waiting.length === 0 && (o.qos === 0 || out.inflight.size < this.server.receiveMaximum)) {
      if (o.qos > 0) out.start(p);
      this.#lastSent = now;
      const events: ClientEvent[] = o.qos === 0 ? [{ kind: 'published', packetId: undefined, topic: o.topic, qos: 0, reasonCode: 0 }] : [];
      return { send: [this.#withAlias(p)], events, packetId: p.packetId };
    }
    out.waiting.push(p);
    if (this.status !== 'connected') return { ...this.#out([], [], now), packetId: p.packetId };
    const events: ClientEvent[] = [];
    const send = this.#drain(events);
    // sent if it left the queue (with a topic alias, a copy of it went out)
    if (o.qos === 0 && !this.outbound.waiting.includes(p)) events.push({ kind: 'published', packetId: undefined, topic: o.topic, qos: 0, reasonCode: 0 });
    return { ...this.#out(send, events, now), packetId: p.packetId };
  }

  subscribe(subs: SubscribeOptions[], properties: Properties | undefined, now: number): Step & { packetId: number } {
    if (this.status !== 'connected') throw new Error('not connected');
    const packetId = this.outbound.allocate();
    this.#requests.set(packetId, { kind: 'subscribe', topicFilters: subs.map((s) => s.topicFilter) });
    const subscriptions = subs.map((s) => (this.v5
      ? { topicFilter: s.topicFilter, qos: s.qos, noLocal: s.noLocal ?? false, retainAsPublished: s.retainAsPublished ?? false, retainHandling: s.retainHandling ?? 0 }
      : { topicFilter: s.topicFilter, qos: s.qos }));
    const p: Packet = { type: 'subscribe', packetId, subscriptions };
    if (this.v5 && properties && Object.keys(properties).length) p.properties = properties;
    return { ...this.#out([p], [], now), packetId };
  }

  unsubscribe(topicFilters: string[], properties: Properties | undefined, now: number): Step & { packetId: number } {
    if (this.status !== 'connected') throw new Error('not connected');
    const packetId = this.outbound.allocate();
    this.#requests.set(packetId, { kind: 'unsubscribe', topicFilters });
    const p: Packet = { type: 'unsubscribe', packetId, topicFilters };
    if (this.v5 && properties && Object.keys(properties).length) p.properties = properties;
    return { ...this.#out([p], [], now), packetId };
  }

  /** A normal DISCONNECT (5.0: with a reason code, e.g. 0x04 to have the will sent). */
  disconnect(now: number, reasonCode = 0, properties?: Properties): Step {
    const send: Packet[] = [];
    if (this.status === 'connected') {
      const p: Packet = { type: 'disconnect' };
      if (this.v5) {
        p.reasonCode = reasonCode;
        if (properties && Object.keys(properties).length) p.properties = properties;
        if (properties?.sessionExpiryInterval !== undefined) this.#sessionExpiry = properties.sessionExpiryInterval;
      }
      send.push(p);
    }
    this.#lost();
    return this.#out(send, [{ kind: 'close', reason: 'disconnected by us' }], now);
  }

  /** The connection is gone (cut, closed by the server, or failed). */
  connectionLost(): void {
    this.#lost();
  }

  /** Keep alive [MQTT-3.1.2-20] (3.1.1: [MQTT-3.1.2-23]): a PINGREQ when we have been quiet, a close when no PINGRESP comes. */
  tick(now: number): Step {
    if (this.status !== 'connected' || this.keepalive === 0) return { send: [], events: [] };
    const ka = this.keepalive * 1000;
    if (this.#pingSentAt !== undefined && now - this.#pingSentAt >= ka) {
      this.#lost();
      return { send: [], events: [{ kind: 'close', reason: `no PINGRESP within the Keep Alive of ${this.keepalive} s` }] };
    }
    if (this.#pingSentAt === undefined && now - this.#lastSent >= ka) {
      this.#pingSentAt = now;
      return this.#out([{ type: 'pingreq' }], [], now);
    }
    return { send: [], events: [] };
  }

  /** When tick() next has something to do, or undefined. */
  nextTick(): number | undefined {
    if (this.status !== 'connected' || this.keepalive === 0) return undefined;
    const ka = this.keepalive * 1000;
    return this.#pingSentAt !== undefined ? this.#pingSentAt + ka : this.#lastSent + ka;
  }

  #lost(): void {
    this.status = 'disconnected';
    this.#pingSentAt = undefined;
    for (const id of this.#requests.keys()) this.outbound.release(id);
    this.#requests.clear();
    if (!this.persistent) {
      this.inboundQos2.clear();
      this.#requeue();
    }
  }

  /**
   * Unacknowledged publications go back to the front of the queue, to be sent
   * as new ones. A QoS 2 message whose PUBREC came has reached the server and
   * must not be published again [MQTT-4.3.3-6].
   */
  #requeue(): void {
    for (const [id, f] of this.outbound.inflight) if (f.state === 'pubrel') this.outbound.finish(id, 'pubrel');
    const again = this.outbound.clear().map(({ packetId: _id, ...m }): PublishPacket => ({ ...m, dup: false }));
    this.outbound.waiting.unshift(...again);
  }

  #out(send: Packet[], events: ClientEvent[], now: number): Step {
    if (send.length) this.#lastSent = now;
    return { send, events };
  }
}
