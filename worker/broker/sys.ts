/**
 * $SYS topics (as mosquitto names them): the broker's own statistics,
 * published as retained messages at start and every `sysInterval` seconds.
 * Ordinary wildcard subscriptions never see them [MQTT-4.7.2-1]; subscribe
 * to `$SYS/#`.
 */
import type { TimerId } from '../time/clock';
import type { Broker } from './broker';

const enc = new TextEncoder();

export class SysPublisher {
  readonly #broker: Broker;
  #timer: TimerId | undefined;

  constructor(broker: Broker) {
    this.#broker = broker;
  }

  start(): void {
    this.stop();
    const seconds = this.#broker.config.sysInterval;
    if (seconds === 0) return;
    this.publish();
    const tick = () => {
      this.publish();
      this.#timer = this.#broker.clock.setTimeout(tick, seconds * 1000);
    };
    this.#timer = this.#broker.clock.setTimeout(tick, seconds * 1000);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#broker.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The current values, by topic. */
  values(): Record<string, string> {
    const b = this.#broker;
    const s = b.stats;
    const sessions = b.registry.sessions.size;
    return {
      '$SYS/broker/version': b.config.version,
      '$SYS/broker/uptime': `${Math.floor((b.clock.now() - s.startedAt) / 1000)} seconds`,
      '$SYS/broker/clients/connected': String(s.connected),
      '$SYS/broker/clients/disconnected': String(sessions - s.connected),
      '$SYS/broker/clients/total': String(sessions),
      '$SYS/broker/connections/total': String(s.connectionsTotal),
      '$SYS/broker/messages/received': String(s.messagesReceived),
      '$SYS/broker/messages/sent': String(s.messagesSent),
      '$SYS/broker/messages/dropped': String(s.messagesDropped),
      '$SYS/broker/packets/received': String(s.packetsReceived),
      '$SYS/broker/packets/sent': String(s.packetsSent),
      '$SYS/broker/bytes/received': String(s.bytesReceived),
      '$SYS/broker/bytes/sent': String(s.bytesSent),
      '$SYS/broker/subscriptions/count': String(b.registry.subscriptionCount),
      '$SYS/broker/retained messages/count': String(b.retained.size),
    };
  }

  publish(): void {
    for (const [topic, value] of Object.entries(this.values())) {
      this.#broker.publishInternal(topic, enc.encode(value), 0, true);
    }
  }
}
