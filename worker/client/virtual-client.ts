/**
 * A client at work: the engine (client-state.ts) tied to a Link for its
 * bytes and a Clock for keep alive and reconnecting. Every virtual client of
 * the playground is one, whether its link goes to the in-page broker or to a
 * real broker over WebSocket.
 */
import { decode, encode, Framer, MqttError, type Packet, type Properties } from '../protocol';
import type { Clock, TimerId } from '../time/clock';
import type { Link } from '../transport/link';
import { ClientState, type ClientStatus, type Step } from './client-state';
import type { ClientEvent } from './events';
import { DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_RECONNECT_DELAY, type ClientOptions, type PublishOptions, type SubscribeOptions } from './options';

export type VirtualClientEvent =
  | ClientEvent
  | { kind: 'status'; status: ClientStatus }
  | { kind: 'reconnecting'; delay: number; attempt: number }
  /** `unexpected`: the other side (or the network) closed it, not we; `connecting`: before CONNACK. */
  | { kind: 'link-closed'; reason: string; unexpected: boolean; connecting: boolean };

/** How long to wait for CONNACK, in ms. */
export const CONNACK_TIMEOUT = 30_000;

export type VirtualClientListener = (e: VirtualClientEvent) => void;

export class VirtualClient {
  readonly state: ClientState;
  readonly #clock: Clock;
  readonly #openLink: () => Link;
  #link: Link | undefined;
  #framer: Framer;
  #tick: TimerId | undefined;
  #reconnect: TimerId | undefined;
  #attempt = 0;
  /** Set by disconnect(): no reconnecting after a close we asked for. */
  #wantClosed = true;
  #listeners: VirtualClientListener[] = [];

  constructor(options: ClientOptions, clock: Clock, openLink: () => Link) {
    this.state = new ClientState(options);
    this.#clock = clock;
    this.#openLink = openLink;
    this.#framer = this.#newFramer();
  }

  get status(): ClientStatus {
    return this.state.status;
  }

  get link(): Link | undefined {
    return this.#link;
  }

  on(listener: VirtualClientListener): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Opens a link and sends CONNECT; the outcome arrives as 'connected' or 'refused'. */
  connect(): void {
    this.#cancelReconnect();
    this.#wantClosed = false;
    if (this.#link && !this.#link.closed) {
      // a new connection replaces the old one: the engine must know the old one is gone
      const old = this.#link;
      this.#link = undefined;
      this.state.connectionLost();
      old.close('reconnecting');
    }
    let link: Link;
    try {
      link = this.#openLink();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.#emit({ kind: 'link-closed', reason, unexpected: true, connecting: true });
      this.#emit({ kind: 'refused', reasonCode: 0x80, reason });
      return;
    }
    this.#link = link;
    this.#framer = this.#newFramer();
    link.setHandler({ data: (b) => this.#onData(link, b), close: (r) => this.#onClosed(link, r ?? 'the connection closed') });
    this.#apply(this.state.connect(this.#clock.now()));
    this.#emit({ kind: 'status', status: this.state.status });
    this.#watchConnack(link);
  }

  /** A server that never answers CONNECT is given up on, as MQTT.js does after its connect timeout. */
  #watchConnack(link: Link): void {
    this.#clock.setTimeout(() => {
      if (link !== this.#link || link.closed) return;
      const s = this.state.status;
      if (s === 'connecting' || s === 'authenticating') {
        this.state.connectionLost();
        this.#emit({ kind: 'protocol-error', reasonCode: 0x80, reason: `no CONNACK within ${CONNACK_TIMEOUT / 1000} s` });
        link.close('no CONNACK');
      }
    }, CONNACK_TIMEOUT);
  }

  publish(o: PublishOptions): number | undefined {
    const step = this.state.publish(o, this.#clock.now());
    this.#apply(step);
    return step.packetId;
  }

  subscribe(subs: SubscribeOptions[], properties?: Properties): number {
    const step = this.state.subscribe(subs, properties, this.#clock.now());
    this.#apply(step);
    return step.packetId;
  }

  unsubscribe(topicFilters: string[], properties?: Properties): number {
    const step = this.state.unsubscribe(topicFilters, properties, this.#clock.now());
    this.#apply(step);
    return step.packetId;
  }

  /** A normal DISCONNECT, then the link closes; 5.0 may give a reason code (0x04: send my will). */
  disconnect(reasonCode = 0, properties?: Properties): void {
    this.#wantClosed = true;
    this.#cancelReconnect();
    this.#apply(this.state.disconnect(this.#clock.now(), reasonCode, properties));
  }

  /** The client dies: its link closes without DISCONNECT, so the broker publishes its will. */
  kill(reason = 'the client was killed'): void {
    this.#wantClosed = true;
    this.#cancelReconnect();
    this.#link?.close(reason);
  }

  /** Sends a packet as it is, bypassing the engine (the packet lab). */
  sendRaw(bytes: Uint8Array): void {
    this.#link?.write(bytes);
  }

  /** 5.0: a packet larger than our Maximum Packet Size ends the connection with 0x95 (§3.1.2.11.4). */
  #newFramer(): Framer {
    const o = this.state.options;
    return new Framer(o.version === 5 && o.maximumPacketSize !== undefined ? { maximumPacketSize: o.maximumPacketSize } : {});
  }

  #onData(link: Link, bytes: Uint8Array): void {
    if (link !== this.#link) return;
    let frames: Uint8Array[];
    let failure: unknown;
    try {
      frames = this.#framer.push(bytes);
    } catch (e) {
      // the whole packets before the bad one are handled first
      failure = e;
      frames = (e instanceof MqttError && e.frames) || [];
    }
    for (const f of frames) {
      let p: Packet;
      try {
        p = decode(f, this.state.options.version);
      } catch (e) {
        return this.#protocolError(e);
      }
      this.#apply(this.state.handle(p, this.#clock.now()));
      if (link !== this.#link || link.closed) return;
    }
    if (failure !== undefined) this.#protocolError(failure);
  }

  #protocolError(e: unknown): void {
    const err = e instanceof MqttError ? e : new MqttError(0x81, String(e));
    const v5 = this.state.options.version === 5 && this.state.status === 'connected';
    const send: Packet[] = v5 ? [{ type: 'disconnect', reasonCode: err.reasonCode, properties: { reasonString: err.message } }] : [];
    this.state.connectionLost();
    this.#apply({ send, events: [{ kind: 'protocol-error', reasonCode: err.reasonCode, reason: err.message }, { kind: 'close', reason: err.message }] });
  }

  #onClosed(link: Link, reason: string): void {
    if (link !== this.#link) return;
    this.#clearTick();
    const was = this.state.status;
    if (was !== 'disconnected') this.state.connectionLost();
    this.#emit({ kind: 'link-closed', reason, unexpected: was !== 'disconnected', connecting: was === 'connecting' || was === 'authenticating' });
    if (was !== 'disconnected') this.#emit({ kind: 'status', status: this.state.status });
    this.#maybeReconnect();
  }

  #apply(step: Step): void {
    const link = this.#link;
    if (link && !link.closed) for (const p of step.send) link.write(encode(p, this.state.options.version));
    let close: string | undefined;
    for (const e of step.events) {
      if (e.kind === 'close') close = e.reason;
      if (e.kind === 'connected') this.#attempt = 0;
      this.#emit(e);
      if (e.kind === 'connected' || e.kind === 'refused') this.#emit({ kind: 'status', status: this.state.status });
    }
    if (close !== undefined) {
      this.#clearTick();
      // a refusal is final; other closes may be retried
      if (step.events.some((e) => e.kind === 'refused')) this.#wantClosed = true;
      link?.close(close);
      this.#emit({ kind: 'status', status: this.state.status });
      this.#maybeReconnect();
      return;
    }
    this.#scheduleTick();
  }

  #scheduleTick(): void {
    const at = this.state.nextTick();
    if (at === undefined) return this.#clearTick();
    // a timer due no later than needed can stay: when it fires, tick() decides and a new one is set
    if (this.#tick !== undefined && this.#tickDue <= at) return;
    this.#clearTick();
    this.#tickDue = at;
    this.#tick = this.#clock.setTimeout(() => {
      this.#tick = undefined;
      this.#apply(this.state.tick(this.#clock.now()));
    }, Math.max(0, at - this.#clock.now()));
  }

  #tickDue = 0;

  #clearTick(): void {
    if (this.#tick !== undefined) this.#clock.clearTimeout(this.#tick);
    this.#tick = undefined;
  }

  #maybeReconnect(): void {
    const o = this.state.options;
    if (this.#wantClosed || !o.autoReconnect || this.#reconnect !== undefined) return;
    const base = o.reconnectDelay ?? DEFAULT_RECONNECT_DELAY;
    const delay = Math.min(base * 2 ** this.#attempt, o.maxReconnectDelay ?? DEFAULT_MAX_RECONNECT_DELAY);
    this.#attempt++;
    this.#emit({ kind: 'reconnecting', delay, attempt: this.#attempt });
    this.#reconnect = this.#clock.setTimeout(() => {
      this.#reconnect = undefined;
      if (!this.#wantClosed) this.connect();
    }, delay);
  }

  #cancelReconnect(): void {
    if (this.#reconnect !== undefined) this.#clock.clearTimeout(this.#reconnect);
    this.#reconnect = undefined;
  }

  #emit(e: VirtualClientEvent): void {
    for (const l of this.#listeners) l(e);
  }
}
