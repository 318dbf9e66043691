import { describe, expect, it } from 'vitest';
import { addRule, canMove, emptyDraft, moveRule, removeRule, ruleFromDraft, type AclRule } from '../../../../../src/lib/broker/acl-rules';

const draft = (o: Partial<ReturnType<typeof emptyDraft>>) => ({ ...emptyDraft(), ...o });
const a: AclRule = { permission: 'allow', action: 'all', topic: 'a' };
const b: AclRule = { permission: 'deny', action: 'publish', topic: 'b' };
const c: AclRule = { permission: 'allow', action: 'subscribe', topic: 'c' };

describe('ruleFromDraft', () => {
  it('makes a rule, leaving out empty username and client ID', () => {
    expect(ruleFromDraft(draft({ permission: 'deny', action: 'subscribe', topic: ' sensor/# ' }))).toEqual({
      ok: true,
      rule: { permission: 'deny', action: 'subscribe', topic: 'sensor/#' },
    });
  });

  it('keeps username and client ID when given', () => {
    expect(ruleFromDraft(draft({ topic: 'x', username: ' alice ', clientId: 'c1' }))).toEqual({
      ok: true,
      rule: { permission: 'allow', action: 'all', topic: 'x', username: 'alice', clientId: 'c1' },
    });
  });

  it('accepts %u and %c in the topic', () => {
    expect(ruleFromDraft(draft({ topic: 'users/%u/#' })).ok).toBe(true);
    expect(ruleFromDraft(draft({ topic: 'devices/%c/+/state' })).ok).toBe(true);
    expect(ruleFromDraft(draft({ topic: 'home/%u-%c' })).ok).toBe(true);
  });

  it.each([
    ['', 'topicRequired'],
    ['   ', 'topicRequired'],
    ['a/#/b', 'topicInvalid'],
    ['a/b#', 'topicInvalid'],
    ['a/+b', 'topicInvalid'],
    ['a/%u+', 'topicInvalid'],
  ])('refuses the topic %j (%s)', (topic, problem) => {
    expect(ruleFromDraft(draft({ topic }))).toEqual({ ok: false, problems: { topic: problem } });
  });

  it('refuses placeholders where they mean nothing', () => {
    expect(ruleFromDraft(draft({ topic: 'x', username: '%u', clientId: 'a%c' }))).toEqual({
      ok: false,
      problems: { username: 'placeholderInName', clientId: 'placeholderInName' },
    });
  });
});

describe('editing the list', () => {
  it('adds at the end or at a place', () => {
    expect(addRule([a, b], c)).toEqual([a, b, c]);
    expect(addRule([a, b], c, 0)).toEqual([c, a, b]);
    expect(addRule([a, b], c, 99)).toEqual([a, b, c]);
  });

  it('removes one', () => {
    expect(removeRule([a, b, c], 1)).toEqual([a, c]);
    expect(removeRule([a, b, c], 5)).toEqual([a, b, c]);
  });

  it('moves one up or down, stopping at the ends', () => {
    expect(moveRule([a, b, c], 2, -1)).toEqual([a, c, b]);
    expect(moveRule([a, b, c], 0, 1)).toEqual([b, a, c]);
    expect(moveRule([a, b, c], 0, -1)).toEqual([a, b, c]);
    expect(moveRule([a, b, c], 2, 1)).toEqual([a, b, c]);
    expect(moveRule([a, b, c], 0, 5)).toEqual([b, c, a]);
    expect(moveRule([a, b, c], 7, -1)).toEqual([a, b, c]);
  });

  it('never changes the list it was given', () => {
    const rules = [a, b, c];
    moveRule(rules, 0, 1);
    removeRule(rules, 0);
    addRule(rules, a);
    expect(rules).toEqual([a, b, c]);
  });

  it('tells whether a rule can move', () => {
    expect(canMove([a, b, c], 0, -1)).toBe(false);
    expect(canMove([a, b, c], 0, 1)).toBe(true);
    expect(canMove([a, b, c], 2, 1)).toBe(false);
    expect(canMove([a], 0, 1)).toBe(false);
  });
});
