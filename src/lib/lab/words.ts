/**
 * The lab's verdicts in the page's language: what the broker will do with
 * the bytes (a prediction), what an example expects, and what the broker
 * did (the outcome found in the capture).
 */
import { reasonName, VERSION_LABELS, type PacketType, type ProtocolVersion } from '../../../worker/protocol';
import { t } from '../i18n/index.svelte';
import type { LabExample, RuleRef } from './examples';
import type { LabProblem } from './problem';
import { disconnectCode, type Prediction } from './predict';
import type { Outcome } from './reaction';

export const hexCode = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

export function problemText(p: LabProblem): string {
  return t(p.key, p.params);
}

/** What the broker answers a failure with, for a connection of `version`. */
export function failureAnswer(reasonCode: number, version: ProtocolVersion): string {
  const code = disconnectCode(reasonCode);
  if (version === 5) return t('labAnswerDisconnect', { code: hexCode(code), name: reasonName(code, 'disconnect') });
  return t('labAnswerClose', { version: VERSION_LABELS[version], code: hexCode(code), name: reasonName(code, 'disconnect') });
}

function acceptedAnswer(reply: PacketType | undefined, publishQos0: boolean): string {
  if (reply) return t('labAnswerReply', { reply: reply.toUpperCase() });
  return publishQos0 ? t('labAnswerRoutes') : t('labAnswerAccepted');
}

/** The prediction in a sentence; `reason` says why when a rule is broken. */
export function predictionText(p: Prediction, version: ProtocolVersion): { answer: string; reason: string | undefined; extra: string | undefined } {
  const extra = 'extra' in p && p.extra > 0 ? t('labAnswerExtra', { n: p.extra }) : undefined;
  switch (p.kind) {
    case 'empty':
      return { answer: t('labAnswerEmpty'), reason: undefined, extra };
    case 'waits':
      return { answer: t('labAnswerWaits', { n: p.need }), reason: undefined, extra };
    case 'closes':
      return { answer: t('labAnswerCloses'), reason: undefined, extra };
    case 'accepted':
      return { answer: acceptedAnswer(p.reply, p.packet.type === 'publish' && p.packet.qos === 0), reason: undefined, extra };
    case 'fails': {
      const reason =
        p.rule === 'second-connect' ? t('labWhySecondConnect') : p.rule === 'server-only' ? t('labWhyServerOnly') : p.rule === 'auth' ? t('labWhyAuth') : p.reason;
      return { answer: failureAnswer(p.reasonCode, version), reason, extra };
    }
  }
}

/** What an example says the broker does, for the version chosen. */
export function exampleAnswer(e: LabExample, version: ProtocolVersion): string {
  const x = e.expect;
  if (x.kind === 'fails') return failureAnswer(x.reasonCode, version);
  if (x.kind === 'waits') return t('labAnswerWaitsShort');
  return acceptedAnswer(x.reply, false);
}

export function ruleRef(r: RuleRef): string {
  return r.id ? `[${r.id}] §${r.section}` : `§${r.section}`;
}

/** The outcome found in the capture, in a sentence. */
export function outcomeText(o: Outcome): string {
  switch (o.kind) {
    case 'pending':
      return t('labReactPending');
    case 'disconnect':
      return t('labReactDisconnect', { code: hexCode(o.reasonCode), name: reasonName(o.reasonCode, 'disconnect') });
    case 'refused':
      return t('labReactRefused', { code: hexCode(o.reasonCode), name: reasonName(o.reasonCode, 'connack') });
    case 'closed':
      return t('labReactClosed');
    case 'answered':
      return t('labReactAnswered', { text: o.text });
    case 'routed':
      return t('labReactRouted', { n: o.receivers });
  }
}
