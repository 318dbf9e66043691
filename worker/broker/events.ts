/**
 * What the broker decided, in words a learner can read: the log of the
 * broker's decisions, interleaved with captured packets by the simulation.
 */

export type BrokerEvent =
  | { kind: 'client-connected'; clientId: string; version: number; sessionPresent: boolean; cleanStart: boolean }
  | { kind: 'client-refused'; clientId: string; reasonCode: number; reason: string }
  | { kind: 'client-disconnected'; clientId: string; reason: string; graceful: boolean }
  | { kind: 'session-created'; clientId: string; expiryInterval: number }
  | { kind: 'session-resumed'; clientId: string }
  | { kind: 'session-ended'; clientId: string; reason: string }
  | { kind: 'subscribed'; clientId: string; topicFilter: string; qos: number; reasonCode: number }
  | { kind: 'unsubscribed'; clientId: string; topicFilter: string; existed: boolean }
  | { kind: 'routed'; from: string; topic: string; qos: number; retain: boolean; receivers: number }
  | { kind: 'queued'; clientId: string; topic: string; qos: number; queued: number }
  | { kind: 'dropped'; clientId: string; topic: string; reason: string }
  | { kind: 'retained'; topic: string; cleared: boolean }
  | { kind: 'will-scheduled'; clientId: string; topic: string; delay: number }
  | { kind: 'will-published'; clientId: string; topic: string }
  | { kind: 'will-cancelled'; clientId: string; reason: string }
  | { kind: 'protocol-error'; clientId: string; reasonCode: number; reason: string }
  | { kind: 'auth'; clientId: string; method: string; step: string };

export type BrokerEventListener = (event: BrokerEvent & { at: number }) => void;

/** One line of English for an event, for logs. */
export function describeEvent(e: BrokerEvent): string {
  switch (e.kind) {
    case 'client-connected': return `${e.clientId} connected (MQTT ${e.version === 5 ? '5.0' : e.version === 4 ? '3.1.1' : '3.1'}${e.sessionPresent ? ', session resumed' : ''})`;
    case 'client-refused': return `connection of ${e.clientId || 'a client'} refused: ${e.reason}`;
    case 'client-disconnected': return `${e.clientId} disconnected: ${e.reason}`;
    case 'session-created': return `new session for ${e.clientId}${e.expiryInterval ? `, kept ${e.expiryInterval === 0xffffffff ? 'forever' : `${e.expiryInterval} s`} after disconnect` : ''}`;
    case 'session-resumed': return `session of ${e.clientId} resumed`;
    case 'session-ended': return `session of ${e.clientId} ended: ${e.reason}`;
    case 'subscribed': return e.reasonCode >= 0x80 ? `subscription of ${e.clientId} to ${e.topicFilter} refused (0x${e.reasonCode.toString(16)})` : `${e.clientId} subscribed to ${e.topicFilter} at QoS ${e.qos}`;
    case 'unsubscribed': return `${e.clientId} unsubscribed from ${e.topicFilter}${e.existed ? '' : ' (no such subscription)'}`;
    case 'routed': return `message from ${e.from} to ${e.topic} routed to ${e.receivers} subscriber${e.receivers === 1 ? '' : 's'}`;
    case 'queued': return `message to ${e.topic} queued for ${e.clientId} (${e.queued} waiting)`;
    case 'dropped': return `message to ${e.topic} dropped for ${e.clientId}: ${e.reason}`;
    case 'retained': return e.cleared ? `retained message on ${e.topic} cleared` : `message on ${e.topic} retained`;
    case 'will-scheduled': return `will of ${e.clientId} on ${e.topic} ${e.delay ? `scheduled in ${e.delay} s` : 'due now'}`;
    case 'will-published': return `will of ${e.clientId} published to ${e.topic}`;
    case 'will-cancelled': return `will of ${e.clientId} cancelled: ${e.reason}`;
    case 'protocol-error': return `${e.clientId || 'a client'} broke the protocol: ${e.reason}`;
    case 'auth': return `${e.clientId}: ${e.method} ${e.step}`;
  }
}
