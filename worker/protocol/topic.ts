/**
 * Topic names and topic filters (§4.7).
 *
 * A topic name is what a PUBLISH is sent to: levels separated by '/', no
 * wildcards. A topic filter is what a SUBSCRIBE asks for and may use them:
 *
 *   '+' matches exactly one level, and must fill the level it is in:
 *       sensor/+/temperature  matches sensor/1/temperature, sensor//temperature
 *       sensor/+              does not match sensor/1/temperature
 *       sensor+ , a/b+/c      are invalid
 *   '#' matches the parent level and any number of levels below; it must be
 *       the last character, alone in its level:
 *       sport/#               matches sport, sport/tennis, sport/tennis/player1
 *       sport/#/ranking , sport#   are invalid
 *
 * Topics starting with '$' (like $SYS/...) are not matched by a filter that
 * starts with a wildcard: '#' and '+/monitor' do not see $SYS/monitor, while
 * '$SYS/#' does [MQTT-4.7.2-1].
 *
 * Shared subscriptions (5.0, §4.8.2): '$share/{ShareName}/{filter}'; the share
 * name is at least one character and has no '/', '+' or '#'.
 */
import { utf8Length } from './utf8';

const MAX_TOPIC_BYTES = 65_535;

/** Why `topic` cannot be published to, or null when it can. */
export function topicNameProblem(topic: string): string | null {
  if (topic.length === 0) return 'a topic name must be at least one character long'; // [MQTT-4.7.3-1]
  if (topic.includes('\u0000')) return 'a topic name must not contain U+0000'; // [MQTT-4.7.3-2]
  if (topic.includes('+') || topic.includes('#')) return `the topic name "${topic}" contains a wildcard (+ or #), which only topic filters may use`; // [MQTT-3.3.2-2]
  if (topic.length > MAX_TOPIC_BYTES / 3 && utf8Length(topic) > MAX_TOPIC_BYTES) return 'a topic name is at most 65535 bytes';
  return null;
}

/** Why `filter` cannot be subscribed to, or null when it can. `shared` enables $share/ parsing (5.0). */
export function topicFilterProblem(filter: string, shared = true): string | null {
  if (filter.length === 0) return 'a topic filter must be at least one character long'; // [MQTT-4.7.3-1]
  if (filter.includes('\u0000')) return 'a topic filter must not contain U+0000'; // [MQTT-4.7.3-2]
  if (filter.length > MAX_TOPIC_BYTES / 3 && utf8Length(filter) > MAX_TOPIC_BYTES) return 'a topic filter is at most 65535 bytes';
  let inner = filter;
  if (shared && filter.startsWith('$share/')) {
    const slash = filter.indexOf('/', 7);
    const name = slash < 0 ? filter.slice(7) : filter.slice(7, slash);
    if (name.length === 0) return `the shared subscription "${filter}" has an empty share name`; // [MQTT-4.8.2-1]
    if (name.includes('+') || name.includes('#')) return `the share name "${name}" must not contain + or #`; // [MQTT-4.8.2-2]
    if (slash < 0 || slash === filter.length - 1) return `the shared subscription "${filter}" needs a topic filter after the share name`; // [MQTT-4.8.2-2]
    inner = filter.slice(slash + 1);
  }
  const levels = inner.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    const hash = level.indexOf('#');
    if (hash >= 0 && (level.length !== 1 || i !== levels.length - 1)) {
      return `"#" must be the last level of the filter and alone in it ("${filter}")`; // [MQTT-4.7.1-2]
    }
    if (level.includes('+') && level.length !== 1) {
      return `"+" must fill a whole level of the filter ("${filter}")`; // [MQTT-4.7.1-3]
    }
  }
  return null;
}

export function isValidTopicName(topic: string): boolean {
  return topicNameProblem(topic) === null;
}

export function isValidTopicFilter(filter: string, shared = true): boolean {
  return topicFilterProblem(filter, shared) === null;
}

export function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/** Splits '$share/group/a/b' into its group and filter; null for an ordinary filter. */
export function parseSharedFilter(filter: string): { group: string; filter: string } | null {
  if (!filter.startsWith('$share/')) return null;
  const slash = filter.indexOf('/', 7);
  if (slash < 0) return null;
  return { group: filter.slice(7, slash), filter: filter.slice(slash + 1) };
}

/** Whether a valid topic filter matches a valid topic name. */
export function matches(filter: string, topic: string): boolean {
  const first = filter.charCodeAt(0);
  // '$' topics are not matched by a leading wildcard [MQTT-4.7.2-1]
  if (topic.charCodeAt(0) === 36 && (first === 35 || first === 43)) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    if (level === '#') return true; // also matches the parent: 'a/#' matches 'a'
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
