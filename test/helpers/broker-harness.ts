/**
 * Broker tests as conversations: a Broker on a VirtualClock, and raw test
 * clients over in-memory links that send and expect packets.
 *
 *   const { broker, clock, client } = brokerHarness();
 *   const alice = await client(5).connect({ clientId: 'alice' });
 *   alice.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a/+', qos: 1 }] });
 *   await alice.expect({ type: 'suback', reasonCodes: [1] });
 */
import { expect } from 'vitest';
import { Broker, type BrokerConfig, type BrokerEvent, type BrokerStore } from '../../worker/broker';
import { decode, encode, Framer, type ConnectPacket, type Packet, type ProtocolVersion } from '../../worker/protocol';
import { VirtualClock } from '../../worker/time/clock';
import { createLinkPair, type Link } from '../../worker/transport/link';

/** Lets every pending microtask and link delivery run. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export class TestClient {
  readonly link: Link;
  readonly version: ProtocolVersion;
  readonly received: Packet[] = [];
  closed = false;
  closeReason: string | undefined;
  #framer = new Framer();

  constructor(link: Link, version: ProtocolVersion) {
    this.link = link;
    this.version = version;
    link.setHandler({
      data: (bytes) => {
        for (const f of this.#framer.push(bytes)) this.received.push(decode(f, this.version));
      },
      close: (reason) => {
        this.closed = true;
        this.closeReason = reason;
      },
    });
  }

  send(p: Packet): this {
    this.link.write(encode(p, this.version));
    return this;
  }

  sendRaw(bytes: Uint8Array | number[]): this {
    this.link.write(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
    return this;
  }

  /** Takes the next packet received, waiting for deliveries to settle; fails if none. */
  async next(): Promise<Packet> {
    if (this.received.length === 0) await settle();
    const p = this.received.shift();
    if (!p) throw new Error(`no packet arrived${this.closed ? ` (connection closed: ${this.closeReason})` : ''}`);
    return p;
  }

  /** The next packet must match `partial` (toMatchObject). */
  async expect<T extends Packet['type']>(partial: Partial<Extract<Packet, { type: T }>> & { type: T }): Promise<Extract<Packet, { type: T }>> {
    const p = await this.next();
    expect(p).toMatchObject(partial);
    return p as Extract<Packet, { type: T }>;
  }

  /** Nothing more arrives. */
  async expectNothing(): Promise<void> {
    await settle();
    expect(this.received).toEqual([]);
  }

  /** The broker closes the connection (after any packets already expected). */
  async expectClosed(): Promise<void> {
    await settle();
    expect(this.closed).toBe(true);
  }

  /** Sends CONNECT and expects a successful CONNACK. */
  async connect(opts: Partial<ConnectPacket> = {}): Promise<this> {
    this.send(connectPacket(this.version, opts));
    await this.expect({ type: 'connack', reasonCode: 0 });
    return this;
  }

  close(): void {
    this.link.close();
  }
}

export function connectPacket(version: ProtocolVersion, opts: Partial<ConnectPacket> = {}): ConnectPacket {
  return {
    type: 'connect',
    protocolName: version === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: version,
    cleanStart: true,
    keepalive: 0,
    clientId: 'client',
    ...opts,
  };
}

export interface Harness {
  broker: Broker;
  clock: VirtualClock;
  events: BrokerEvent[];
  /** A new raw client on a new link; not yet connected. */
  client(version?: ProtocolVersion): TestClient;
}

export function brokerHarness(config: Partial<BrokerConfig> = {}, store?: BrokerStore, clock = new VirtualClock(1_000_000)): Harness {
  const broker = new Broker({ sysInterval: 0, ...config }, clock, store);
  const events: BrokerEvent[] = [];
  broker.on((e) => events.push(e));
  return {
    broker,
    clock,
    events,
    client(version: ProtocolVersion = 4) {
      const [clientEnd, brokerEnd] = createLinkPair();
      broker.accept(brokerEnd);
      return new TestClient(clientEnd, version);
    },
  };
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
