/**
 * The broker's decisions in the page's language. The worker describes them in
 * English; the page has the event itself and says it again with t(). Reasons
 * the broker words itself are translated where they are known phrases.
 */
import type { BrokerEvent } from './decision-log';
import { t, type MessageKey } from '../i18n/index.svelte';



const REASONS: Record<string, MessageKey> = {
  'queue full': 'reasonQueueFull',
  expired: 'reasonExpired',
  'QoS 0 not queued for offline sessions': 'reasonQos0Offline',
  'not authorised to publish here': 'reasonNotAuthorisedPublish',
  'message expired': 'reasonMessageExpired',
  'the will is not authorised': 'reasonWillNotAuthorised',
};

function reason(r: string): string {
  const key = REASONS[r];
  return key ? t(key) : r;
}

const versionName = (v: number) => (v === 5 ? '5.0' : v === 4 ? '3.1.1' : '3.1');

export function eventText(e: BrokerEvent): string {
  switch (e.kind) {
    case 'client-connected':
      return t(e.sessionPresent ? 'evConnectedResumed' : 'evConnected', { client: e.clientId, version: versionName(e.version) });
    case 'client-refused':
      return t('evRefused', { client: e.clientId || t('evAClient'), reason: e.reason });
    case 'client-disconnected':
      return t('evDisconnected', { client: e.clientId, reason: e.reason });
    case 'session-created':
      return e.expiryInterval
        ? t('evSessionCreatedKept', { client: e.clientId, kept: e.expiryInterval === 0xffffffff ? t('evForever') : t('evSeconds', { n: e.expiryInterval }) })
        : t('evSessionCreated', { client: e.clientId });
    case 'session-resumed':
      return t('evSessionResumed', { client: e.clientId });
    case 'session-ended':
      return t('evSessionEnded', { client: e.clientId, reason: e.reason });
    case 'subscribed':
      return e.reasonCode >= 0x80
        ? t('evSubscribeRefused', { client: e.clientId, filter: e.topicFilter, code: `0x${e.reasonCode.toString(16)}` })
        : t('evSubscribed', { client: e.clientId, filter: e.topicFilter, qos: e.qos });
    case 'unsubscribed':
      return t(e.existed ? 'evUnsubscribed' : 'evUnsubscribedNone', { client: e.clientId, filter: e.topicFilter });
    case 'routed':
      return e.from ? t('evRouted', { client: e.from, topic: e.topic, n: e.receivers }) : t('evRoutedByBroker', { topic: e.topic, n: e.receivers });
    case 'queued':
      return t('evQueued', { topic: e.topic, client: e.clientId, n: e.queued });
    case 'dropped':
      return t('evDropped', { topic: e.topic, client: e.clientId, reason: reason(e.reason) });
    case 'retained':
      return t(e.cleared ? 'evRetainedCleared' : 'evRetained', { topic: e.topic });
    case 'will-scheduled':
      return e.delay ? t('evWillScheduled', { client: e.clientId, topic: e.topic, n: e.delay }) : t('evWillDue', { client: e.clientId, topic: e.topic });
    case 'will-published':
      return t('evWillPublished', { client: e.clientId, topic: e.topic });
    case 'will-cancelled':
      return t('evWillCancelled', { client: e.clientId, reason: e.reason });
    case 'protocol-error':
      return t('evProtocolError', { client: e.clientId || t('evAClient'), reason: e.reason });
    case 'auth':
      return t('evAuth', { client: e.clientId, method: e.method, step: e.step });
  }
}
