import { describe, expect, it } from 'vitest';
import { compileQuery, EMPTY_QUERY, FilteredMessages, topicQueryProblem, type FilterableMessage, type MessageQuery } from '../../../../src/lib/message-filter';

const enc = (s: string) => new TextEncoder().encode(s);
const msg = (topic: string, payload = '', direction: 'sent' | 'received' = 'received'): FilterableMessage => ({ topic, payload: enc(payload), direction });
const q = (p: Partial<MessageQuery>): MessageQuery => ({ ...EMPTY_QUERY, ...p });
const pass = (query: Partial<MessageQuery>, m: FilterableMessage) => (compileQuery(q(query)) ?? (() => true))(m);

describe('compileQuery', () => {
  it('passes everything without a filter', () => {
    expect(compileQuery(EMPTY_QUERY)).toBeNull();
  });

  it.each([
    ['sensor/+/temperature', 'sensor/1/temperature', true],
    ['sensor/+/temperature', 'sensor/1/humidity', false],
    ['sensor/+', 'sensor/1/temperature', false],
    ['sensor/#', 'sensor', true],
    ['sensor/#', 'sensor/1/temperature', true],
    ['#', '$SYS/broker/uptime', false],
    ['temp', 'sensor/1/temperature', true],
    ['sensor/1/temperature', 'sensor/1/temperature', true],
    ['Temp', 'sensor/1/temperature', false],
  ])('topic %s on %s: %s', (topic, t, expected) => {
    expect(pass({ topic }, msg(t))).toBe(expected);
  });

  it('leaves out an invalid topic filter and says why', () => {
    expect(topicQueryProblem('a/#/b')).toMatch(/"#" must be the last level/);
    expect(topicQueryProblem('a/b+')).toMatch(/"\+" must fill a whole level/);
    expect(topicQueryProblem('a/b')).toBeNull();
    expect(topicQueryProblem('')).toBeNull();
    expect(compileQuery(q({ topic: 'a/#/b' }))).toBeNull();
  });

  it('finds text in payloads, ignoring case', () => {
    expect(pass({ text: 'WARM' }, msg('a', 'it is warm today'))).toBe(true);
    expect(pass({ text: 'cold' }, msg('a', 'it is warm today'))).toBe(false);
    expect(pass({ text: 'a' }, msg('a', ''))).toBe(false);
  });

  it('filters by direction', () => {
    expect(pass({ direction: 'sent' }, msg('a', '', 'sent'))).toBe(true);
    expect(pass({ direction: 'sent' }, msg('a', '', 'received'))).toBe(false);
    expect(pass({ direction: 'received' }, msg('a', '', 'received'))).toBe(true);
  });

  it('combines all three', () => {
    const query = { topic: 'sensor/#', text: 'hot', direction: 'received' as const };
    expect(pass(query, msg('sensor/1', 'HOT'))).toBe(true);
    expect(pass(query, msg('sensor/1', 'HOT', 'sent'))).toBe(false);
    expect(pass(query, msg('other', 'HOT'))).toBe(false);
    expect(pass(query, msg('sensor/1', 'cold'))).toBe(false);
  });
});

describe('FilteredMessages', () => {
  it('returns the source itself without a filter', () => {
    const f = new FilteredMessages();
    const src = [msg('a'), msg('b')];
    expect(f.update(src, EMPTY_QUERY)).toBe(src);
  });

  it('tests only the new messages when the source grew', () => {
    const f = new FilteredMessages();
    const src = [msg('a/1'), msg('b/1'), msg('a/2')];
    const query = q({ topic: 'a/+' });
    const first = f.update(src, query);
    expect(first.map((m) => m.topic)).toEqual(['a/1', 'a/2']);
    // a message already there that changed is not looked at again: proof that only the tail is tested
    src[1] = msg('a/sneaky');
    src.push(msg('a/3'), msg('b/2'));
    const second = f.update(src, query);
    expect(second).toBe(first);
    expect(second.map((m) => m.topic)).toEqual(['a/1', 'a/2', 'a/3']);
  });

  it('filters again when the query changes, the start was cut, or the source is another array', () => {
    const f = new FilteredMessages();
    const src = [msg('a/1'), msg('b/1'), msg('a/2')];
    expect(f.update(src, q({ topic: 'a/+' })).length).toBe(2);
    expect(f.update(src, q({ topic: 'b/+' })).map((m) => m.topic)).toEqual(['b/1']);
    src.splice(0, 2);
    src.push(msg('b/2'));
    expect(f.update(src, q({ topic: 'b/+' })).map((m) => m.topic)).toEqual(['b/2']);
    expect(f.update([msg('b/9')], q({ topic: 'b/+' })).map((m) => m.topic)).toEqual(['b/9']);
  });

  it('keeps up with 100,000 messages', () => {
    const f = new FilteredMessages();
    const src = Array.from({ length: 100_000 }, (_, i) => msg(`sensor/${i % 10}/temperature`, String(i)));
    const query = q({ topic: 'sensor/3/+', text: '99' });
    const t0 = performance.now();
    const r = f.update(src, query);
    expect(r.length).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) {
      src.push(msg('sensor/3/temperature', '99'));
      f.update(src, query);
    }
    expect(r.at(-1)!.topic).toBe('sensor/3/temperature');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
