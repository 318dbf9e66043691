/**
 * The New Subscription form: what the learner types and the SubscribeRequest
 * it becomes, or a problem per field, shown next to it. Nothing is repaired
 * silently: a filter such as a/#/b or an identifier of 0 is refused with the
 * reason.
 */
import type { QoS } from '../../worker/protocol/types';
import type { SubscribeRequest } from '../../worker/api';
import { MAX_VARINT } from '../../worker/protocol/constants';
import { topicFilterProblem } from '../../worker/protocol/topic';

export interface SubscriptionForm {
  topic: string;
  qos: '0' | '1' | '2';
  color: string;
  /** MQTT 5.0 subscription options. */
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: '0' | '1' | '2';
  /** Subscription Identifier as typed; empty for none. */
  identifier: string;
}

/** A problem: the key of its words in the UI, and the protocol's detail when there is one. */
export interface FieldProblem {
  key: 'subTopicRequired' | 'subTopicInvalid' | 'subIdentifierWhole' | 'subIdentifierRange' | 'subColorInvalid';
  detail?: string;
}

export type SubscriptionProblems = Partial<Record<'topic' | 'identifier' | 'color', FieldProblem>>;

/** Colours that stay readable on the light and the dark theme. */
export const SUBSCRIPTION_COLORS = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6', '#f97316', '#6366f1', '#84cc16'] as const;

/** The first colour no subscription uses yet (cycling when all are used). */
export function nextColor(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return SUBSCRIPTION_COLORS.find((c) => !taken.has(c)) ?? SUBSCRIPTION_COLORS[used.length % SUBSCRIPTION_COLORS.length]!;
}

export function emptySubscriptionForm(usedColors: readonly string[] = []): SubscriptionForm {
  return { topic: '', qos: '0', color: nextColor(usedColors), noLocal: false, retainAsPublished: false, retainHandling: '0', identifier: '' };
}

/** The request, or the problems of the fields. 5.0 options are sent only to a 5.0 connection. */
export function subscriptionFromForm(f: SubscriptionForm, version: 3 | 4 | 5): { request: SubscribeRequest } | { problems: SubscriptionProblems } {
  const problems: SubscriptionProblems = {};
  if (f.topic === '') problems.topic = { key: 'subTopicRequired' };
  else {
    const p = topicFilterProblem(f.topic, version === 5);
    if (p) problems.topic = { key: 'subTopicInvalid', detail: p };
  }
  if (!/^#[0-9a-f]{6}$/i.test(f.color)) problems.color = { key: 'subColorInvalid' };
  let identifier: number | undefined;
  if (version === 5 && f.identifier.trim() !== '') {
    const s = f.identifier.trim();
    if (!/^\d+$/.test(s)) problems.identifier = { key: 'subIdentifierWhole' };
    else {
      identifier = Number(s);
      if (identifier < 1 || identifier > MAX_VARINT) problems.identifier = { key: 'subIdentifierRange' }; // §3.8.2.1.2: 1 to 268,435,455, and 0 is a Protocol Error
    }
  }
  if (Object.keys(problems).length) return { problems };
  const request: SubscribeRequest = { topicFilter: f.topic, qos: Number(f.qos) as QoS, color: f.color.toLowerCase() };
  if (version === 5) {
    request.noLocal = f.noLocal;
    request.retainAsPublished = f.retainAsPublished;
    request.retainHandling = Number(f.retainHandling) as 0 | 1 | 2;
    if (identifier !== undefined) request.identifier = identifier;
  }
  return { request };
}
