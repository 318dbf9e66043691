import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../../worker/broker';
import { ConfigFileError, parseConfig, parseConfigText, readConfigFile } from '../../../../worker/node/config-file';

/** The problems reported for `json`. */
function problems(json: unknown): string[] {
  try {
    parseConfig(json, 'broker.json');
  } catch (e) {
    if (e instanceof ConfigFileError) return e.problems;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

const FAST = { iterations: 16 };

describe('config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts an empty object: every default applies', () => {
    expect(parseConfig({})).toEqual({});
  });

  it('takes limits and switches of BrokerConfig', () => {
    expect(parseConfig({ maxInflight: 16, queueQos0: true, serverKeepAlive: 30, assignedClientIdPrefix: 'x-', aclDefault: 'deny' })).toEqual({
      maxInflight: 16, queueQos0: true, serverKeepAlive: 30, assignedClientIdPrefix: 'x-', aclDefault: 'deny',
    });
    expect(parseConfig({ serverKeepAlive: null })).toEqual({ serverKeepAlive: undefined });
  });

  it('hashes plain passwords and keeps hashed ones; users turn anonymous access off', () => {
    const hashed = hashPassword('pencil', FAST);
    const c = parseConfig({ users: [{ username: 'alice', password: 'secret' }, { username: 'bob', password: hashed }] });
    expect(c.allowAnonymous).toBe(false);
    expect(c.users![0]!.password).toMatch(/^pbkdf2-sha256\$/);
    expect(c.users![0]!.password).not.toContain('secret');
    expect(verifyPassword('secret', c.users![0]!.password)).toBe(true);
    expect(c.users![1]!.password).toBe(hashed);
    expect(parseConfig({ allowAnonymous: true, users: [{ username: 'a', password: 'b' }] }).allowAnonymous).toBe(true);
  });

  it('takes ACL rules', () => {
    const acl = [
      { permission: 'allow', action: 'all', topic: 'users/%u/#' },
      { permission: 'deny', action: 'subscribe', topic: '#', username: 'guest', clientId: 'c1' },
    ];
    expect(parseConfig({ acl }).acl).toEqual(acl);
  });

  it('names an unknown key, with a suggestion when it is close', () => {
    expect(problems({ maxInFlight: 3 })).toEqual(['broker.json: "maxInFlight" is not a setting; did you mean "maxInflight"?']);
    expect(problems({ colour: 'blue' })[0]).toMatch(/^broker\.json: "colour" is not a setting; known settings: version, allowAnonymous, /);
  });

  it('names every key of the wrong type at once', () => {
    expect(problems({ allowAnonymous: 'yes', maxInflight: '16', aclDefault: 'maybe', serverKeepAlive: '5' })).toEqual([
      'broker.json: "allowAnonymous" must be true or false, got string "yes"',
      'broker.json: "maxInflight" must be a number, got string "16"',
      'broker.json: "aclDefault" must be "allow" or "deny", got string "maybe"',
      'broker.json: "serverKeepAlive" must be a number of seconds, or null for none, got string "5"',
    ]);
  });

  it('reuses the broker\'s range checks', () => {
    expect(problems({ maxInflight: 0 })).toEqual(['broker.json: maxInflight must be an integer from 1 to 65535, got 0']);
    expect(problems({ maximumQoS: 3 })).toEqual(['broker.json: maximumQoS must be 0, 1 or 2']);
  });

  it('names bad users and rules by their index', () => {
    expect(problems({ users: [{ username: 'a' }, { username: '', password: 'x' }, { username: 'b', password: 'pbkdf2-sha256$bad' }, { username: 'c', password: 'p', role: 'admin' }, 'd'] })).toEqual([
      'broker.json: "users[0].password" must be a non-empty string, got nothing',
      'broker.json: "users[1].username" must be a non-empty string, got string ""',
      'broker.json: "users[2].password" looks like a pbkdf2-sha256 hash but is malformed; give the plain password or a hash made by hashPassword()',
      'broker.json: "users[3].role" is not a user field; a user has "username" and "password"',
      'broker.json: "users[4]" must be an object { "username", "password" }, got string "d"',
    ]);
    expect(problems({ users: [{ username: 'a', password: 'x' }, { username: 'a', password: 'y' }] })).toEqual(['broker.json: "users[1].username" repeats the user "a"']);
    expect(problems({ users: { alice: 'x' } })[0]).toMatch(/"users" must be a list/);
    expect(problems({ acl: [{ permission: 'permit', action: 'read', topic: 'a/#/b', user: 'x' }] })).toEqual([
      'broker.json: "acl[0].user" is not a rule field; a rule has permission, action, topic, username, clientId',
      'broker.json: "acl[0].permission" must be "allow" or "deny", got string "permit"',
      'broker.json: "acl[0].action" must be "publish", "subscribe" or "all", got string "read"',
      'broker.json: "acl[0].topic" is not a valid topic filter: "#" must be the last level of the filter and alone in it ("a/#/b")',
    ]);
  });

  it('refuses what is not a JSON object, and points at a syntax error', () => {
    expect(problems([])).toEqual(['broker.json: the configuration must be a JSON object, got a list']);
    expect(() => parseConfigText('{\n  "allowAnonymous": true,\n}', 'broker.json')).toThrow(/^broker\.json: not valid JSON: .*\(line 3, column 1\)$/);
  });

  it('reads a file, and says when there is none', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify({ allowAnonymous: false, maxQueuedMessages: 10 }));
    expect(readConfigFile(path)).toEqual({ allowAnonymous: false, maxQueuedMessages: 10 });
    expect(() => readConfigFile(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read the configuration file: no such file/);
  });
});
