/**
 * One network connection to the broker: bytes in through a Framer, packets
 * out through encode, and the state between CONNECT and the end. Handlers
 * (handlers/) act on packets; whatever they throw as MqttError ends the
 * connection here, with a DISCONNECT (5.0) or CONNACK carrying the reason
 * where the protocol allows one [MQTT-4.13.1-1].
 */
import { decode, encode, Framer, MqttError, isReasonCodeAllowed, type Packet, type ProtocolVersion, type QoS, type Will } from '../protocol';
import type { TimerId } from '../time/clock';
import type { Link } from '../transport/link';
import type { Broker } from './broker';
import { handle } from './handlers';
import { publishPacket, type Message } from './message';
import type { Outlet, Session } from './session';
import type { AuthSession } from './auth/scram';

export type ConnectionState = 'new' | 'authenticating' | 'connected' | 'closed';

/** 5.0 reason codes for refusing a CONNECT, as 3.1.1 return codes. */
const V4_RETURN_CODE: Record<number, number> = { 0x84: 1, 0x85: 2, 0x88: 3, 0x89: 3, 0x86: 4, 0x87: 5, 0x8c: 5, 0x8a: 5 };

export class Connection implements Outlet {
  readonly broker: Broker;
  readonly link: Link;
  state: ConnectionState = 'new';
  /** Protocol level, known once CONNECT arrives. */
  version: ProtocolVersion = 4;
  clientId = '';
  username: string | undefined;
  session: Session | null = null;
  will: Will | undefined;
  /** Effective keep alive in seconds; 0 is off. */
  keepalive = 0;
  /** The client's limits (5.0 CONNECT properties). */
  window = 65535;
  maximumPacketSize = 268_435_460;
  topicAliasMaximum = 0;
  requestProblemInformation = true;
  // made on first use: few clients use topic aliases (memory per connection)
  #inboundAliases: Map<number, string> | undefined;
  #outboundAliases: Map<string, number> | undefined;
  /** Enhanced authentication in progress or done. */
  auth: { method: string; session: AuthSession; connect: Packet & { type: 'connect' }; reauthenticating?: boolean } | undefined;
  /** Why the connection ended, for the will and the log. */
  endReason = '';
  /** A normal DISCONNECT (without 0x04) arrived: no will. */
  graceful = false;
  bytesIn = 0;
  bytesOut = 0;
  /** The frame being handled, so a QoS 0 PUBLISH can be forwarded as it came. */
  frame: Uint8Array | undefined;
  readonly framer: Framer;
  #lastActivity: number;
  #timer: TimerId | undefined;

  constructor(broker: Broker, link: Link) {
    this.broker = broker;
    this.link = link;
    this.framer = new Framer({ maximumPacketSize: broker.config.maximumPacketSize });
    this.#lastActivity = broker.clock.now();
    // a client that never sends CONNECT is dropped after a while (§3.1.4)
    this.#timer = broker.clock.setTimeout(() => {
      if (this.state === 'new' || this.state === 'authenticating') this.close('no CONNECT within 30 s');
    }, 30_000);
    // methods, not named arrow functions: tsx (esbuild keepNames) gives each of those a
    // name property, a dictionary of ~256 bytes per function and connection
    const c = this;
    link.setHandler({
      data(b) {
        c.#onData(b);
      },
      close(r) {
        c.#onLinkClosed(r);
      },
    });
  }

  /** Topic aliases the client set up towards us. */
  get inboundAliases(): Map<number, string> {
    return (this.#inboundAliases ??= new Map());
  }

  /** Our topic aliases towards the client. */
  get outboundAliases(): Map<string, number> {
    return (this.#outboundAliases ??= new Map());
  }

  #onData(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    this.bytesIn += bytes.length;
    this.broker.stats.bytesReceived += bytes.length;
    this.#lastActivity = this.broker.clock.now();
    let frames: Uint8Array[];
    let framingError: unknown;
    try {
      frames = this.framer.push(bytes);
    } catch (e) {
      // the packets before the bad one are still handled, then the connection fails
      framingError = e;
      frames = (e as MqttError).frames ?? [];
    }
    for (const frame of frames) {
      // a handler may have closed the connection
      if ((this.state as ConnectionState) === 'closed') return;
      try {
        const packet = decode(frame, this.version);
        this.broker.stats.packetsReceived++;
        this.frame = frame;
        handle(this, packet);
      } catch (e) {
        return this.fail(e, frame);
      }
    }
    this.frame = undefined;
    if (framingError !== undefined) this.fail(framingError);
  }

  /** Encodes and writes a packet; returns the bytes written, or 0 when it had to be dropped for size. */
  send(packet: Packet): number {
    let bytes = encode(packet, this.version);
    if (bytes.length > this.maximumPacketSize && 'properties' in packet && packet.properties) {
      // reason string and user properties are the first things to go [MQTT-3.1.2-25]
      const { reasonString: _r, userProperties: _u, ...rest } = packet.properties;
      bytes = encode({ ...packet, properties: rest } as Packet, this.version);
    }
    if (bytes.length > this.maximumPacketSize) return 0;
    this.write(bytes);
    return bytes.length;
  }

  write(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    this.bytesOut += bytes.length;
    const stats = this.broker.stats;
    stats.bytesSent += bytes.length;
    stats.packetsSent++;
    this.link.write(bytes);
  }

  // Outlet: how the session sends through this connection

  sendPublish(m: Message, qos: QoS, retain: boolean, ids: number[] | undefined, packetId: number | undefined, dup: boolean): boolean {
    const b = this.broker;
    const v5 = this.version === 5;
    const aliases = v5 && this.topicAliasMaximum > 0 && b.config.outboundTopicAliases;
    let bytes: Uint8Array;
    let newAlias: number | undefined;
    if (qos === 0 && !retain && ids === undefined && !aliases && (!v5 || m.expiresAt === undefined)) {
      // the same bytes for every subscriber of this version: encoded once per message
      bytes = (v5 ? m.wire5 : m.wire4) ?? this.#encodeShared(m);
    } else {
      const p = publishPacket(m, qos, retain, ids, packetId, dup, m.expiresAt === undefined ? 0 : b.clock.now(), this.version);
      if (!p) {
        b.stats.messagesDropped++;
        b.emit({ kind: 'dropped', clientId: this.clientId, topic: m.topic, reason: 'message expired' });
        return false;
      }
      if (aliases) {
        let alias = this.outboundAliases.get(p.topic);
        if (alias !== undefined) p.topic = '';
        else if (this.outboundAliases.size < this.topicAliasMaximum) alias = newAlias = this.outboundAliases.size + 1;
        if (alias !== undefined) p.properties = { ...p.properties, topicAlias: alias };
      }
      bytes = encode(p, this.version);
    }
    if (bytes.length > this.maximumPacketSize) {
      // never sent, but treated as delivered [MQTT-3.1.2-25]
      b.stats.messagesDropped++;
      b.emit({ kind: 'dropped', clientId: this.clientId, topic: m.topic, reason: `${bytes.length} bytes exceed the client's Maximum Packet Size of ${this.maximumPacketSize}` });
      return false;
    }
    if (newAlias !== undefined) this.outboundAliases.set(m.topic, newAlias);
    this.write(bytes);
    b.stats.messagesSent++;
    return true;
  }

  #encodeShared(m: Message): Uint8Array {
    const p = publishPacket(m, 0, false, undefined, undefined, false, 0, this.version)!;
    const bytes = encode(p, this.version);
    if (this.version === 5) m.wire5 = bytes;
    else m.wire4 = bytes;
    return bytes;
  }

  sendPubrel(packetId: number): void {
    this.send({ type: 'pubrel', packetId, ...(this.version === 5 ? { reasonCode: 0 } : {}) });
  }

  // keep alive: checked when due, not reset on every packet

  startKeepAlive(): void {
    this.#clearTimer();
    if (this.keepalive === 0) return;
    const limit = this.keepalive * 1500; // 1.5 times the Keep Alive [MQTT-3.1.2-22] (3.1.1: [MQTT-3.1.2-24])
    this.#timer = this.broker.clock.setTimeout(() => this.#checkKeepAlive(limit), limit);
  }

  #checkKeepAlive(limit: number): void {
    const idle = this.broker.clock.now() - this.#lastActivity;
    if (idle >= limit) {
      this.#timer = undefined;
      this.broker.emit({ kind: 'protocol-error', clientId: this.clientId, reasonCode: 0x8d, reason: `nothing received for ${idle / 1000} s, 1.5 times the Keep Alive of ${this.keepalive} s` });
      this.disconnect(0x8d, 'keep alive timeout');
    } else this.#timer = this.broker.clock.setTimeout(() => this.#checkKeepAlive(limit), limit - idle);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.broker.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Ends the connection over a protocol violation or another failure of the client. */
  fail(e: unknown, frame?: Uint8Array): void {
    if (this.state === 'closed') return;
    const err = e instanceof MqttError ? e : new MqttError(0x83, e instanceof Error ? e.message : String(e));
    if (!(e instanceof MqttError)) this.broker.reportInternalError(e);
    this.broker.emit({ kind: 'protocol-error', clientId: this.clientId, reasonCode: err.reasonCode, reason: err.message });
    if (this.state === 'new') {
      const level = frame ? peekConnectLevel(frame) : undefined;
      if (err.reasonCode === 0x84) {
        // unknown level: answer in the 3.1.1 format every client can read [MQTT-3.1.2-2]
        this.version = level === 5 ? 5 : 4;
        return this.refuse(0x84, err.message);
      }
      if (level === 5) {
        this.version = 5;
        return this.refuse(isReasonCodeAllowed('connack', err.reasonCode) ? err.reasonCode : 0x80, err.message);
      }
      return this.close(err.message);
    }
    if (this.state === 'authenticating') {
      // no CONNACK yet, and nothing but AUTH may come before it [MQTT-3.2.0-1]: refuse in one [MQTT-4.12.0-4]
      return this.refuse(isReasonCodeAllowed('connack', err.reasonCode) ? err.reasonCode : 0x80, err.message);
    }
    this.disconnect(isReasonCodeAllowed('disconnect', err.reasonCode) ? err.reasonCode : 0x82, err.message);
  }

  /** Refuses a CONNECT with CONNACK and closes [MQTT-3.2.2-7]. */
  refuse(reasonCode: number, reason: string): void {
    this.broker.emit({ kind: 'client-refused', clientId: this.clientId, reasonCode, reason });
    if (this.version === 5) {
      const properties = this.requestProblemInformation ? { reasonString: reason } : undefined;
      this.send({ type: 'connack', sessionPresent: false, reasonCode, ...(properties ? { properties } : {}) });
    } else {
      const code = V4_RETURN_CODE[reasonCode];
      if (code !== undefined) this.send({ type: 'connack', sessionPresent: false, reasonCode: code });
    }
    this.close(reason);
  }

  /** Server-initiated end: DISCONNECT with a reason code in 5.0, then close. */
  disconnect(reasonCode: number, reason: string): void {
    if (this.state === 'closed') return;
    if (this.version === 5 && this.state === 'connected') { // before CONNACK only AUTH may be sent [MQTT-3.2.0-1]
      this.send({ type: 'disconnect', reasonCode, properties: { reasonString: reason } });
    }
    this.close(reason);
  }

  /** Closes the network connection; the session and will are dealt with by the broker. */
  close(reason: string): void {
    if (this.state === 'closed') return;
    this.#end(reason);
    this.link.close(reason);
  }

  #onLinkClosed(reason: string | undefined): void {
    if (this.state === 'closed') return;
    this.#end(reason ?? 'connection closed by the client');
  }

  #end(reason: string): void {
    const was = this.state;
    this.state = 'closed';
    this.endReason = reason;
    this.#clearTimer();
    if (was === 'connected') this.broker.detach(this);
    else this.broker.forget(this);
  }
}

/** The Protocol Level byte of a CONNECT frame, if the frame gets that far. */
function peekConnectLevel(frame: Uint8Array): number | undefined {
  if (frame[0] !== 0x10) return undefined;
  let i = 1;
  while (i < 5 && i < frame.length && frame[i]! & 0x80) i++;
  i++;
  if (i + 2 > frame.length) return undefined;
  const nameLen = (frame[i]! << 8) | frame[i + 1]!;
  return frame[i + 2 + nameLen];
}
