/**
 * Editing the broker's ACL in the Settings section: a draft rule as typed,
 * checked and turned into an AclRule; rules added, removed and reordered as
 * new arrays (the broker takes the whole list at once). The order matters:
 * the first rule that matches decides.
 *
 *   ruleFromDraft({ permission: 'deny', action: 'subscribe', topic: '#', username: '', clientId: '' })
 *     → { ok: true, rule: { permission: 'deny', action: 'subscribe', topic: '#' } }
 *   moveRule([a, b, c], 2, -1) → [a, c, b]
 */
import type { BrokerConfig } from '../../../worker/api';
import { isValidTopicFilter } from '../../../worker/protocol/topic';

export type AclRule = BrokerConfig['acl'][number];

export interface RuleDraft {
  permission: AclRule['permission'];
  action: AclRule['action'];
  topic: string;
  /** Empty: any user. */
  username: string;
  /** Empty: any client. */
  clientId: string;
}

/** Why a draft is not a rule, per field. */
export type RuleProblem = 'topicRequired' | 'topicInvalid' | 'placeholderInName';

export type RuleResult = { ok: true; rule: AclRule } | { ok: false; problems: Partial<Record<keyof RuleDraft, RuleProblem>> };

export function emptyDraft(): RuleDraft {
  return { permission: 'allow', action: 'all', topic: '', username: '', clientId: '' };
}

export function ruleFromDraft(d: RuleDraft): RuleResult {
  const problems: Partial<Record<keyof RuleDraft, RuleProblem>> = {};
  const topic = d.topic.trim();
  if (!topic) problems.topic = 'topicRequired';
  // %u and %c become a name with no '/', '+' or '#': any placeholder stands for one plain level part
  else if (!isValidTopicFilter(topic.replaceAll('%u', 'u').replaceAll('%c', 'c'), false)) problems.topic = 'topicInvalid';
  const username = d.username.trim();
  const clientId = d.clientId.trim();
  if (/%[uc]/.test(username)) problems.username = 'placeholderInName';
  if (/%[uc]/.test(clientId)) problems.clientId = 'placeholderInName';
  if (Object.keys(problems).length) return { ok: false, problems };
  const rule: AclRule = { permission: d.permission, action: d.action, topic };
  if (username) rule.username = username;
  if (clientId) rule.clientId = clientId;
  return { ok: true, rule };
}

/** The list with `rule` appended (or inserted at `at`). */
export function addRule(rules: readonly AclRule[], rule: AclRule, at = rules.length): AclRule[] {
  const next = [...rules];
  next.splice(Math.max(0, Math.min(at, rules.length)), 0, rule);
  return next;
}

export function removeRule(rules: readonly AclRule[], index: number): AclRule[] {
  return rules.filter((_, i) => i !== index);
}

/** The list with rule `index` moved by `delta` places, stopping at either end. */
export function moveRule(rules: readonly AclRule[], index: number, delta: number): AclRule[] {
  const next = [...rules];
  if (index < 0 || index >= rules.length) return next;
  const to = Math.max(0, Math.min(rules.length - 1, index + delta));
  const [rule] = next.splice(index, 1);
  next.splice(to, 0, rule!);
  return next;
}

/** Whether a rule can move by `delta` (for disabling the buttons at the ends). */
export function canMove(rules: readonly AclRule[], index: number, delta: number): boolean {
  const to = index + delta;
  return index >= 0 && index < rules.length && to >= 0 && to < rules.length && to !== index;
}
