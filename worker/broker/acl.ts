/**
 * Authorisation: allow/deny rules for publishing and subscribing, by user
 * name and client identifier, first match wins (like mosquitto's acl_file
 * and EMQX's ACL). `%u` and `%c` in a rule's topic stand for the client's
 * user name and client identifier:
 *
 *   { permission: 'allow', action: 'all', topic: 'users/%u/#' }
 *   { permission: 'deny', action: 'subscribe', topic: '#' }
 *
 * A publish is covered by a rule whose filter matches the topic. A
 * subscription is allowed by a rule whose filter covers every topic the
 * subscription could receive, and denied by one that shares any topic with it.
 */
import { matches, parseSharedFilter } from '../protocol';

export interface AclRule {
  permission: 'allow' | 'deny';
  action: 'publish' | 'subscribe' | 'all';
  /** A topic filter; %u is the user name, %c the client identifier. */
  topic: string;
  /** Only for this user name; any when absent. */
  username?: string;
  /** Only for this client identifier; any when absent. */
  clientId?: string;
}

export interface AclSubject {
  clientId: string;
  username?: string | undefined;
}

export function authorize(rules: readonly AclRule[], fallback: 'allow' | 'deny', who: AclSubject, action: 'publish' | 'subscribe', topic: string): boolean {
  if (rules.length === 0) return fallback === 'allow';
  const target = action === 'subscribe' ? (parseSharedFilter(topic)?.filter ?? topic) : topic;
  for (const rule of rules) {
    if (rule.action !== 'all' && rule.action !== action) continue;
    if (rule.username !== undefined && rule.username !== who.username) continue;
    if (rule.clientId !== undefined && rule.clientId !== who.clientId) continue;
    const filter = substitute(rule.topic, who);
    if (filter === undefined) continue;
    const applies =
      action === 'publish' ? matches(filter, target) : rule.permission === 'allow' ? covers(filter, target) : overlaps(filter, target);
    if (applies) return rule.permission === 'allow';
  }
  return fallback === 'allow';
}

function substitute(topic: string, who: AclSubject): string | undefined {
  if (topic.includes('%u')) {
    // a user name with wildcards would widen the rule: such a rule does not apply
    if (who.username === undefined || /[+#/]/.test(who.username)) return undefined;
    topic = topic.replaceAll('%u', who.username);
  }
  if (topic.includes('%c')) {
    if (/[+#/]/.test(who.clientId)) return undefined;
    topic = topic.replaceAll('%c', who.clientId);
  }
  return topic;
}

/** Whether every topic matched by `sub` is matched by `rule`. */
export function covers(rule: string, sub: string): boolean {
  if (sub.startsWith('$') !== rule.startsWith('$') && /^[+#]/.test(rule)) return false;
  const r = rule.split('/');
  const s = sub.split('/');
  for (let i = 0; i < s.length; i++) {
    const rl = r[i];
    if (rl === '#') return true;
    if (rl === undefined) return false;
    const sl = s[i]!;
    if (sl === '#') return false;
    if (rl === '+') continue;
    if (sl === '+' || rl !== sl) return false;
  }
  // 'a/#' also covers 'a'
  return r.length === s.length || (r.length === s.length + 1 && r[s.length] === '#');
}

/** Whether some topic is matched by both filters. */
export function overlaps(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i];
    const q = y[i];
    if (p === '#' || q === '#') {
      // a leading '#' shares no topic with a '$' filter [MQTT-4.7.2-1]
      return !(i === 0 && (p!.startsWith('$') || q!.startsWith('$')));
    }
    if (p === undefined || q === undefined) return false;
    if (p === '+' || q === '+') {
      if (i === 0 && ((p === '+' && q.startsWith('$')) || (q === '+' && p.startsWith('$')))) return false;
      continue;
    }
    if (p !== q) return false;
  }
  return true;
}
