/**
 * The Node host's JSON configuration file: any BrokerConfig setting, users
 * and ACL rules. Every problem is reported at once, each naming its key:
 *
 *   {
 *     "allowAnonymous": false,
 *     "users": [
 *       { "username": "alice", "password": "secret" },
 *       { "username": "bob", "password": "pbkdf2-sha256$4096$W22ZaJ0SNY7soEsUEjb6gQ==$xKSV…" }
 *     ],
 *     "acl": [{ "permission": "allow", "action": "all", "topic": "users/%u/#" }],
 *     "aclDefault": "deny",
 *     "maxInflight": 16
 *   }
 *
 * A plain password is hashed with hashPassword() as the file is read, so the
 * broker never holds it; a "pbkdf2-sha256$…" string is taken as already
 * hashed. As with mosquitto's password_file, listing users turns anonymous
 * access off unless "allowAnonymous" says otherwise.
 */
import { readFileSync } from 'node:fs';
import { configProblems, DEFAULT_CONFIG, type AclRule, type BrokerConfig, type UserEntry } from '../broker';
import { hashPassword, parseStoredPassword, PASSWORD_SCHEME } from '../broker/auth/passwords';
import { topicFilterProblem } from '../protocol';

export class ConfigFileError extends Error {
  /** One line per problem, each starting with the file name. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigFileError';
    this.problems = problems;
  }
}

/** Reads and checks a configuration file; throws ConfigFileError. */
export function readConfigFile(path: string): Partial<BrokerConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigFileError([`${path}: cannot read the configuration file${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}`]);
  }
  return parseConfigText(text, path);
}

/** Parses the JSON text of a configuration file; `source` names it in errors. */
export function parseConfigText(text: string, source = 'config'): Partial<BrokerConfig> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigFileError([`${source}: not valid JSON: ${jsonErrorAt(text, (e as Error).message)}`]);
  }
  return parseConfig(json, source);
}

/** Checks an already parsed configuration object. */
export function parseConfig(json: unknown, source = 'config'): Partial<BrokerConfig> {
  const problems: string[] = [];
  const bad = (key: string, what: string) => problems.push(`${source}: "${key}" ${what}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigFileError([`${source}: the configuration must be a JSON object, got ${typeName(json)}`]);
  }
  const out: Record<string, unknown> = {};
  const known = Object.keys(DEFAULT_CONFIG);
  for (const [key, value] of Object.entries(json)) {
    if (!known.includes(key)) {
      const hint = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
      bad(key, `is not a setting; ${hint ? `did you mean "${hint}"?` : `known settings: ${known.join(', ')}`}`);
      continue;
    }
    if (key === 'users') out.users = parseUsers(value, bad);
    else if (key === 'acl') out.acl = parseAcl(value, bad);
    else if (key === 'aclDefault') {
      if (value === 'allow' || value === 'deny') out.aclDefault = value;
      else bad(key, `must be "allow" or "deny", got ${show(value)}`);
    } else if (key === 'serverKeepAlive') {
      if (value === null) out.serverKeepAlive = undefined;
      else if (typeof value === 'number') out.serverKeepAlive = value;
      else bad(key, `must be a number of seconds, or null for none, got ${show(value)}`);
    } else {
      const expected = typeof DEFAULT_CONFIG[key as keyof BrokerConfig];
      if (typeof value === expected) out[key] = value;
      else bad(key, `must be ${expected === 'boolean' ? 'true or false' : `a ${expected}`}, got ${show(value)}`);
    }
  }
  const config = out as Partial<BrokerConfig>;
  if (config.users?.length && !('allowAnonymous' in json)) config.allowAnonymous = false;
  if (problems.length === 0) {
    for (const p of configProblems({ ...DEFAULT_CONFIG, ...config })) problems.push(`${source}: ${p}`);
  }
  if (problems.length) throw new ConfigFileError(problems);
  return config;
}

type Bad = (key: string, what: string) => void;

function parseUsers(value: unknown, bad: Bad): UserEntry[] {
  if (!Array.isArray(value)) {
    bad('users', `must be a list of { "username", "password" }, got ${show(value)}`);
    return [];
  }
  const users: UserEntry[] = [];
  const seen = new Set<string>();
  value.forEach((u: unknown, i) => {
    const at = `users[${i}]`;
    if (!isObject(u)) return bad(at, `must be an object { "username", "password" }, got ${show(u)}`);
    for (const k of Object.keys(u)) if (k !== 'username' && k !== 'password') bad(`${at}.${k}`, 'is not a user field; a user has "username" and "password"');
    const { username, password } = u;
    if (typeof username !== 'string' || username === '') return bad(`${at}.username`, `must be a non-empty string, got ${show(username)}`);
    if (seen.has(username)) return bad(`${at}.username`, `repeats the user "${username}"`);
    seen.add(username);
    if (typeof password !== 'string' || password === '') return bad(`${at}.password`, `must be a non-empty string, got ${show(password)}`);
    if (password.startsWith(`${PASSWORD_SCHEME}$`)) {
      if (!parseStoredPassword(password)) return bad(`${at}.password`, `looks like a ${PASSWORD_SCHEME} hash but is malformed; give the plain password or a hash made by hashPassword()`);
      users.push({ username, password });
    } else users.push({ username, password: hashPassword(password) });
  });
  return users;
}

const RULE_FIELDS = ['permission', 'action', 'topic', 'username', 'clientId'];

function parseAcl(value: unknown, bad: Bad): AclRule[] {
  if (!Array.isArray(value)) {
    bad('acl', `must be a list of rules { "permission", "action", "topic" }, got ${show(value)}`);
    return [];
  }
  const rules: AclRule[] = [];
  value.forEach((r: unknown, i) => {
    const at = `acl[${i}]`;
    if (!isObject(r)) return bad(at, `must be an object { "permission", "action", "topic" }, got ${show(r)}`);
    let ok = true;
    const fail = (key: string, what: string) => {
      ok = false;
      bad(`${at}.${key}`, what);
    };
    for (const k of Object.keys(r)) if (!RULE_FIELDS.includes(k)) fail(k, `is not a rule field; a rule has ${RULE_FIELDS.join(', ')}`);
    const { permission, action, topic, username, clientId } = r;
    if (permission !== 'allow' && permission !== 'deny') fail('permission', `must be "allow" or "deny", got ${show(permission)}`);
    if (action !== 'publish' && action !== 'subscribe' && action !== 'all') fail('action', `must be "publish", "subscribe" or "all", got ${show(action)}`);
    if (typeof topic !== 'string') fail('topic', `must be a topic filter string, got ${show(topic)}`);
    else {
      const problem = topicFilterProblem(topic);
      if (problem) fail('topic', `is not a valid topic filter: ${problem}`);
    }
    if (username !== undefined && typeof username !== 'string') fail('username', `must be a string, got ${show(username)}`);
    if (clientId !== undefined && typeof clientId !== 'string') fail('clientId', `must be a string, got ${show(clientId)}`);
    if (!ok) return;
    const rule = { permission, action, topic } as AclRule;
    if (typeof username === 'string') rule.username = username;
    if (typeof clientId === 'string') rule.clientId = clientId;
    rules.push(rule);
  });
  return rules;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return `${typeName(v)} ${s.length > 40 ? `${s.slice(0, 37)}...` : s}`;
}

/** "… at position 42" becomes "… (line 3, column 7)". */
function jsonErrorAt(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return `${message} (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}
