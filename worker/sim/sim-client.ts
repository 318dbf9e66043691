/**
 * One virtual client of the playground: its settings, its engine, the
 * network path it is connected through, its subscriptions as the learner
 * made them, and its messages.
 */
import { matches, type Properties } from '../protocol';
import type { ClientStatus, SubscribeOptions, VirtualClient, VirtualClientEvent } from '../client';
import type { ClientConfig } from './client-config';
import { MessageLog, type MessageRecord } from './message-log';
import { NO_CONDITIONS, type NetworkConditions, type NetworkPath } from './network';

export interface SubscriptionView extends Required<Omit<SubscribeOptions, 'noLocal' | 'retainAsPublished' | 'retainHandling'>> {
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: 0 | 1 | 2;
  identifier: number | undefined;
  /** A colour the learner picked, to tell messages apart. */
  color: string;
  /** 'pending' until SUBACK; then the granted QoS, or refused with a reason code. */
  state: 'pending' | 'active' | 'refused';
  reasonCode: number | undefined;
}

export type ClientStatusView = ClientStatus | 'cut';

export interface ClientView {
  name: string;
  config: ClientConfig;
  status: ClientStatusView;
  /** The identifier in use (assigned by the server when the config leaves it empty). */
  clientId: string;
  sessionPresent: boolean | undefined;
  network: NetworkConditions;
  subscriptions: SubscriptionView[];
  /** Our QoS 1/2 publications awaiting acknowledgement, and those waiting to be sent. */
  inflight: number;
  waiting: number;
  messages: number;
  lastError: string | undefined;
  /** Next reconnect attempt, virtual ms, when one is scheduled. */
  reconnectAt: number | undefined;
}

export class SimClient {
  config: ClientConfig;
  vc: VirtualClient;
  path: NetworkPath<number | number[]> | undefined;
  conditions: NetworkConditions = { ...NO_CONDITIONS };
  readonly messages = new MessageLog();
  readonly subscriptions = new Map<string, SubscriptionView>();
  /** Subscribe/unsubscribe requests awaiting their ack, by packet id. */
  readonly requests = new Map<number, string[]>();
  sessionPresent: boolean | undefined;
  lastError: string | undefined;
  reconnectAt: number | undefined;
  unsubscribe: (() => void) | undefined;
  /** Off for load-test clients: their messages are counted, not kept. */
  recordMessages = true;

  constructor(config: ClientConfig, vc: VirtualClient) {
    this.config = config;
    this.vc = vc;
  }

  get name(): string {
    return this.config.name;
  }

  view(): ClientView {
    const s = this.vc.state;
    const status: ClientStatusView = s.status === 'connected' && this.conditions.cut ? 'cut' : s.status;
    return {
      name: this.name, config: this.config, status, clientId: s.clientId, sessionPresent: this.sessionPresent,
      network: { ...this.conditions }, subscriptions: [...this.subscriptions.values()],
      inflight: s.outbound.inflight.size, waiting: s.outbound.waiting.length, messages: this.messages.size,
      lastError: this.lastError, reconnectAt: this.reconnectAt,
    };
  }

  /** Turns an engine event into state; returns the message recorded, if one was. */
  apply(e: VirtualClientEvent, now: number, wallAt: number): MessageRecord | undefined {
    switch (e.kind) {
      case 'connected':
        this.sessionPresent = e.sessionPresent;
        this.lastError = undefined;
        this.reconnectAt = undefined;
        // without a session the server has none of our subscriptions either
        if (!e.sessionPresent) for (const sub of this.subscriptions.values()) if (sub.state === 'active') sub.state = 'pending';
        return undefined;
      case 'refused':
        this.lastError = `Connection refused: ${e.reason} (0x${e.reasonCode.toString(16).padStart(2, '0')})`;
        return undefined;
      case 'protocol-error':
        this.lastError = `Protocol error: ${e.reason}`;
        return undefined;
      case 'server-disconnect':
        this.lastError = `The broker disconnected: ${e.reason}`;
        return undefined;
      case 'link-closed':
        if (e.unexpected) this.lastError = e.connecting ? `Could not connect: ${e.reason}` : `Connection lost: ${e.reason}`;
        return undefined;
      case 'reconnecting':
        this.reconnectAt = now + e.delay;
        return undefined;
      case 'subscribed':
        e.topicFilters.forEach((f, i) => {
          const sub = this.subscriptions.get(f);
          if (!sub) return;
          const code = e.reasonCodes[i] ?? 0x80;
          sub.reasonCode = code;
          sub.state = code < 0x80 ? 'active' : 'refused';
        });
        return undefined;
      case 'unsubscribed':
        for (const f of e.topicFilters) this.subscriptions.delete(f);
        return undefined;
      case 'message': {
        if (!this.recordMessages) return undefined;
        const p = e.packet;
        const matched = [...this.subscriptions.values()].filter((s) => s.state !== 'refused' && matches(stripShare(s.topicFilter), e.topic)).map((s) => s.topicFilter);
        return this.messages.add({
          client: this.name, direction: 'received', topic: e.topic, payload: p.payload.slice(), qos: p.qos, retain: p.retain, dup: p.dup,
          packetId: p.packetId, properties: p.properties, at: now, wallAt, matched, ackReasonCode: undefined,
        });
      }
      default:
        return undefined;
    }
  }

  recordSent(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean, packetId: number | undefined, properties: Properties | undefined, now: number, wallAt: number): MessageRecord {
    return this.messages.add({
      client: this.name, direction: 'sent', topic, payload, qos, retain, dup: false, packetId, properties, at: now, wallAt, matched: [], ackReasonCode: undefined,
    });
  }
}

function stripShare(filter: string): string {
  if (!filter.startsWith('$share/')) return filter;
  const i = filter.indexOf('/', 7);
  return i < 0 ? filter : filter.slice(i + 1);
}
