/** What the client engine tells its owner, besides the packets it sends. */
import type { ConnackPacket, DisconnectPacket, Properties, PublishPacket } from '../protocol';

export type ClientEvent =
  | { kind: 'connected'; connack: ConnackPacket; sessionPresent: boolean; assignedClientId: string | undefined }
  | { kind: 'refused'; reasonCode: number; reason: string }
  /** A message arrived (QoS 2: on PUBLISH, once). `topic` has its alias resolved. */
  | { kind: 'message'; packet: PublishPacket; topic: string; duplicate: boolean }
  /** A publication of ours completed its flow (QoS 0: when written), or failed: a reason code of 0x80 or above, e.g. 0x9B when the server's Maximum QoS turned out lower. */
  | { kind: 'published'; packetId: number | undefined; topic: string; qos: number; reasonCode: number }
  | { kind: 'subscribed'; packetId: number; topicFilters: string[]; reasonCodes: number[]; properties: Properties | undefined }
  | { kind: 'unsubscribed'; packetId: number; topicFilters: string[]; reasonCodes: number[] }
  /** The server sent DISCONNECT (5.0). */
  | { kind: 'server-disconnect'; packet: DisconnectPacket; reason: string }
  | { kind: 'pong'; latency: number }
  | { kind: 'auth'; step: string }
  /** The connection must end; the owner closes the link. */
  | { kind: 'close'; reason: string }
  /** Something the server sent broke the protocol; the connection ends. */
  | { kind: 'protocol-error'; reasonCode: number; reason: string };
