import { describe, expect, it } from 'vitest';
import { authorize, covers, overlaps, type AclRule, type AclSubject } from '../../../../worker/broker/acl';

const alice: AclSubject = { clientId: 'alice-phone', username: 'alice' };
const anonymous: AclSubject = { clientId: 'sensor-1' };

const allow = (action: AclRule['action'], topic: string, more: Partial<AclRule> = {}): AclRule => ({ permission: 'allow', action, topic, ...more });
const deny = (action: AclRule['action'], topic: string, more: Partial<AclRule> = {}): AclRule => ({ permission: 'deny', action, topic, ...more });

describe('covers(rule, subscription): every topic the subscription can receive is matched by the rule', () => {
  it.each`
    rule              | sub                    | result
    ${'a/b'}          | ${'a/b'}               | ${true}
    ${'a/b'}          | ${'a/c'}               | ${false}
    ${'a/b'}          | ${'a/+'}               | ${false}
    ${'a/b'}          | ${'a/#'}               | ${false}
    ${'a/+'}          | ${'a/b'}               | ${true}
    ${'a/+'}          | ${'a/+'}               | ${true}
    ${'a/+'}          | ${'a/#'}               | ${false}
    ${'a/+'}          | ${'a'}                 | ${false}
    ${'a/+'}          | ${'a/b/c'}             | ${false}
    ${'a/+/c'}        | ${'a/+/c'}             | ${true}
    ${'a/+/c'}        | ${'a/b/c'}             | ${true}
    ${'a/+/c'}        | ${'a/b/+'}             | ${false}
    ${'a/#'}          | ${'a'}                 | ${true}
    ${'a/#'}          | ${'a/b'}               | ${true}
    ${'a/#'}          | ${'a/+/c'}             | ${true}
    ${'a/#'}          | ${'a/#'}               | ${true}
    ${'a/#'}          | ${'b/#'}               | ${false}
    ${'a/b/#'}        | ${'a/#'}               | ${false}
    ${'a/b/#'}        | ${'a'}                 | ${false}
    ${'#'}            | ${'a/b/c'}             | ${true}
    ${'#'}            | ${'#'}                 | ${true}
    ${'#'}            | ${'+/x'}               | ${true}
    ${'+'}            | ${'a'}                 | ${true}
    ${'+'}            | ${'+'}                 | ${true}
    ${'+'}            | ${'#'}                 | ${false}
    ${'+/#'}          | ${'a/b'}               | ${true}
    ${'#'}            | ${'$SYS/#'}            | ${false}
    ${'#'}            | ${'$SYS/broker/uptime'} | ${false}
    ${'+/broker/#'}   | ${'$SYS/broker/uptime'} | ${false}
    ${'$SYS/#'}       | ${'$SYS/broker/+'}     | ${true}
    ${'$SYS/#'}       | ${'$SYS'}              | ${true}
    ${'$SYS/#'}       | ${'#'}                 | ${false}
    ${'$SYS/+/uptime'} | ${'$SYS/broker/uptime'} | ${true}
  `('covers($rule, $sub) is $result', ({ rule, sub, result }) => {
    expect(covers(rule, sub)).toBe(result);
  });
});

describe('overlaps(a, b): some topic is matched by both filters', () => {
  it.each`
    a                 | b                      | result
    ${'a/b'}          | ${'a/b'}               | ${true}
    ${'a/b'}          | ${'a/c'}               | ${false}
    ${'a/+'}          | ${'a/b'}               | ${true}
    ${'a/+'}          | ${'+/b'}               | ${true}
    ${'a/+'}          | ${'a'}                 | ${false}
    ${'a/+'}          | ${'a/b/c'}             | ${false}
    ${'a/+/c'}        | ${'a/b/+'}             | ${true}
    ${'a/+/c'}        | ${'a/b/d'}             | ${false}
    ${'a/#'}          | ${'a'}                 | ${true}
    ${'a'}            | ${'a/#'}               | ${true}
    ${'a/#'}          | ${'a/b/c'}             | ${true}
    ${'a/#'}          | ${'b/#'}               | ${false}
    ${'a/b/#'}        | ${'a/+'}               | ${true}
    ${'#'}            | ${'anything/at/all'}   | ${true}
    ${'#'}            | ${'#'}                 | ${true}
    ${'secret/x'}     | ${'#'}                 | ${true}
    ${'+'}            | ${'$SYS'}              | ${false}
    ${'$SYS/#'}       | ${'+/broker'}          | ${false}
    ${'#'}            | ${'$SYS/#'}            | ${false}
    ${'$SYS/#'}       | ${'#'}                 | ${false}
    ${'#'}            | ${'$SYS'}              | ${false}
    ${'$SYS/#'}       | ${'$SYS/broker/+'}     | ${true}
    ${'$SYS/+'}       | ${'$SYS/broker'}       | ${true}
  `('overlaps($a, $b) is $result', ({ a, b, result }) => {
    expect(overlaps(a, b)).toBe(result);
  });
});

describe('authorize', () => {
  it.each`
    fallback   | action         | result
    ${'allow'} | ${'publish'}   | ${true}
    ${'allow'} | ${'subscribe'} | ${true}
    ${'deny'}  | ${'publish'}   | ${false}
    ${'deny'}  | ${'subscribe'} | ${false}
  `('no rules: $action falls back to $fallback', ({ fallback, action, result }) => {
    expect(authorize([], fallback, alice, action, 'a/b')).toBe(result);
  });

  it.each`
    rules                                                         | fallback   | topic            | result | why
    ${[allow('publish', 'a/+')]}                                  | ${'deny'}  | ${'a/b'}         | ${true}  | ${'the rule matches the topic'}
    ${[allow('publish', 'a/+')]}                                  | ${'deny'}  | ${'a/b/c'}       | ${false} | ${'no rule matches: fallback'}
    ${[deny('publish', 'a/#')]}                                   | ${'allow'} | ${'a'}           | ${false} | ${"'a/#' matches 'a'"}
    ${[deny('publish', 'a/#')]}                                   | ${'allow'} | ${'b'}           | ${true}  | ${'no rule matches: fallback'}
    ${[deny('publish', 'a/secret'), allow('publish', 'a/#')]}     | ${'deny'}  | ${'a/secret'}    | ${false} | ${'first match wins'}
    ${[allow('publish', 'a/#'), deny('publish', 'a/secret')]}     | ${'deny'}  | ${'a/secret'}    | ${true}  | ${'first match wins'}
    ${[deny('subscribe', '#')]}                                   | ${'allow'} | ${'a/b'}         | ${true}  | ${'a subscribe rule does not apply to publish'}
    ${[deny('all', '#')]}                                         | ${'allow'} | ${'a/b'}         | ${false} | ${"'all' applies to publish"}
    ${[deny('publish', '#')]}                                     | ${'allow'} | ${'$SYS/x'}      | ${true}  | ${"'#' does not match a $ topic"}
    ${[deny('publish', '$SYS/#')]}                                | ${'allow'} | ${'$SYS/x'}      | ${false} | ${'named $ level'}
    ${[deny('publish', '#', { username: 'bob' })]}                | ${'allow'} | ${'a'}           | ${true}  | ${'rule for another user'}
    ${[deny('publish', '#', { username: 'alice' })]}              | ${'allow'} | ${'a'}           | ${false} | ${'rule for this user'}
    ${[deny('publish', '#', { clientId: 'other' })]}              | ${'allow'} | ${'a'}           | ${true}  | ${'rule for another client'}
    ${[deny('publish', '#', { clientId: 'alice-phone' })]}        | ${'allow'} | ${'a'}           | ${false} | ${'rule for this client'}
    ${[deny('publish', '#', { username: 'alice', clientId: 'x' })]} | ${'allow'} | ${'a'}         | ${true}  | ${'both must fit'}
    ${[allow('publish', 'users/%u/#')]}                           | ${'deny'}  | ${'users/alice/x'} | ${true}  | ${'%u is the user name'}
    ${[allow('publish', 'users/%u/#')]}                           | ${'deny'}  | ${'users/bob/x'} | ${false} | ${"%u is not another user's name"}
    ${[allow('publish', 'clients/%c')]}                           | ${'deny'}  | ${'clients/alice-phone'} | ${true} | ${'%c is the client identifier'}
    ${[allow('publish', 'clients/%c')]}                           | ${'deny'}  | ${'clients/sensor-1'} | ${false} | ${'%c is not another client'}
    ${[allow('publish', '%u/%c')]}                                | ${'deny'}  | ${'alice/alice-phone'} | ${true} | ${'both substituted'}
  `('publish $topic: $result ($why)', ({ rules, fallback, topic, result }) => {
    expect(authorize(rules, fallback, alice, 'publish', topic)).toBe(result);
  });

  it.each`
    rules                                                        | fallback   | filter                 | result | why
    ${[allow('subscribe', 'a/#')]}                               | ${'deny'}  | ${'a/+/c'}             | ${true}  | ${'the rule covers the filter'}
    ${[allow('subscribe', 'a/+')]}                               | ${'deny'}  | ${'a/#'}               | ${false} | ${'the filter reaches beyond the rule'}
    ${[allow('subscribe', 'a/+')]}                               | ${'deny'}  | ${'a/b'}               | ${true}  | ${'covered'}
    ${[deny('subscribe', 'a/secret')]}                           | ${'allow'} | ${'a/#'}               | ${false} | ${'a deny rule sharing one topic denies'}
    ${[deny('subscribe', 'a/secret')]}                           | ${'allow'} | ${'a/+'}               | ${false} | ${'a deny rule sharing one topic denies'}
    ${[deny('subscribe', 'a/secret')]}                           | ${'allow'} | ${'a/public'}          | ${true}  | ${'no shared topic'}
    ${[deny('subscribe', 'a/secret')]}                           | ${'allow'} | ${'#'}                 | ${false} | ${"'#' reaches a/secret"}
    ${[deny('subscribe', '#')]}                                  | ${'allow'} | ${'$SYS/#'}            | ${true}  | ${"'#' shares no topic with '$SYS/#'"}
    ${[deny('subscribe', '#'), allow('subscribe', '$SYS/#')]}    | ${'deny'}  | ${'$SYS/broker/+'}     | ${true}  | ${'the $SYS rule applies'}
    ${[allow('subscribe', '#')]}                                 | ${'deny'}  | ${'$SYS/#'}            | ${false} | ${"'#' does not cover $SYS"}
    ${[deny('subscribe', 'a/secret'), allow('subscribe', 'a/#')]} | ${'deny'} | ${'a/#'}               | ${false} | ${'first match wins'}
    ${[allow('subscribe', 'a/#'), deny('subscribe', 'a/secret')]} | ${'deny'} | ${'a/#'}               | ${true}  | ${'first match wins'}
    ${[deny('publish', '#')]}                                    | ${'allow'} | ${'a/b'}               | ${true}  | ${'a publish rule does not apply to subscribe'}
    ${[deny('all', 'a/#')]}                                      | ${'allow'} | ${'a/b'}               | ${false} | ${"'all' applies to subscribe"}
    ${[allow('subscribe', 'a/#')]}                               | ${'deny'}  | ${'$share/g/a/b'}      | ${true}  | ${'a shared subscription is judged by its filter'}
    ${[deny('subscribe', 'a/#')]}                                | ${'allow'} | ${'$share/g/a/b'}      | ${false} | ${'a shared subscription is judged by its filter'}
    ${[allow('subscribe', 'users/%u/#')]}                        | ${'deny'}  | ${'users/alice/+'}     | ${true}  | ${'%u substituted'}
    ${[allow('subscribe', 'users/%u/#')]}                        | ${'deny'}  | ${'users/+/inbox'}     | ${false} | ${"'+' reaches other users"}
    ${[deny('subscribe', 'users/%c')]}                           | ${'allow'} | ${'users/+'}           | ${false} | ${'%c substituted, overlapping'}
  `('subscribe $filter: $result ($why)', ({ rules, fallback, filter, result }) => {
    expect(authorize(rules, fallback, alice, 'subscribe', filter)).toBe(result);
  });

  it('a %u rule does not apply to a client without a user name', () => {
    expect(authorize([allow('publish', 'users/%u/#')], 'deny', anonymous, 'publish', 'users//x')).toBe(false);
    expect(authorize([allow('publish', 'users/%u/#')], 'deny', anonymous, 'publish', 'users/undefined/x')).toBe(false);
    expect(authorize([deny('publish', 'users/%u/#'), allow('publish', '#')], 'deny', anonymous, 'publish', 'users/x/y')).toBe(true);
  });

  it.each(['+', '#', 'a/b', 'x+', 'x/#'])('a %%u or %%c rule does not apply when the name contains wildcards or "/" (%s)', (name) => {
    const who: AclSubject = { clientId: name, username: name };
    // the rule would otherwise widen to every user's topics
    expect(authorize([allow('subscribe', 'users/%u/#')], 'deny', who, 'subscribe', `users/${name}/#`)).toBe(false);
    expect(authorize([allow('publish', 'clients/%c')], 'deny', who, 'publish', 'clients/x')).toBe(false);
    expect(authorize([deny('all', 'clients/%c/#'), allow('all', '#')], 'deny', who, 'publish', 'clients/x/y')).toBe(true);
  });

  it('a rule of the other action is skipped, and the next rule decides', () => {
    const rules = [deny('subscribe', 'a/#'), allow('publish', 'a/#')];
    expect(authorize(rules, 'deny', alice, 'publish', 'a/b')).toBe(true);
    expect(authorize(rules, 'allow', alice, 'subscribe', 'a/b')).toBe(false);
  });
});
