/**
 * MQTT.js clients for the interop tests: every client is tracked and ended
 * in afterAll, never reconnects on its own, and every wait is bounded.
 *
 *   const clients = new MqttJsClients();
 *   const sub = await clients.open('mqtt://127.0.0.1:1883', { clientId: 'sub', protocolVersion: 5 });
 *   const inbox = new Inbox(sub);
 *   const [m] = await inbox.take(1, 'the sensor reading');
 */
import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import { until, within } from './timeouts';

export interface Received {
  topic: string;
  text: string;
  packet: IPublishPacket;
  /** Date.now() when it arrived. */
  at: number;
}

export class MqttJsClients {
  readonly all: MqttClient[] = [];

  /** A client whose CONNACK has arrived; rejects with MQTT.js's error (e.g. code 134) on refusal. */
  async open(url: string, options: IClientOptions): Promise<{ client: MqttClient; connack: IConnackPacket }> {
    const client = this.start(url, options);
    const connack = await within(
      new Promise<IConnackPacket>((resolve, reject) => {
        client.once('connect', resolve);
        client.once('error', reject);
        client.once('close', () => reject(new Error(`the connection of ${options.clientId ?? 'a client'} closed before CONNACK`)));
      }),
      6000,
      `CONNACK for ${options.clientId || 'a client'}`,
    );
    return { client, connack };
  }

  /** A client that has not connected yet, so listeners can go on before anything arrives. */
  start(url: string, options: IClientOptions): MqttClient {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.on('error', () => {}); // asserted through open() or the test's own listener
    this.all.push(client);
    return client;
  }

  /** Ends every client, forcibly, without waiting for the broker. */
  async closeAll(): Promise<void> {
    await Promise.all(this.all.map((c) => within(c.endAsync(true), 3000, 'a client to end').catch(() => {})));
  }
}

/** Messages a client receives, in order. */
export class Inbox {
  readonly messages: Received[] = [];

  constructor(client: MqttClient) {
    client.on('message', (topic, payload, packet) => this.messages.push({ topic, text: payload.toString(), packet, at: Date.now() }));
  }

  /** Waits until `n` messages are here (at most `ms`) and takes them. */
  async take(n: number, what: string, ms = 5000): Promise<Received[]> {
    await until(() => this.messages.length >= n, ms, `${what} (${this.messages.length} of ${n} arrived)`);
    return this.messages.splice(0, n);
  }
}

/** Waits `ms`, for "nothing more arrives" checks. */
export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
