import { describe, expect, it } from 'vitest';
import { emptyDraft, emptyProperties, type PublishDraft } from '../../../../src/lib/publish-form';
import { addToHistory, deletePayload, HistoryCursor, preview, readHistoryBook, readSavedPayloads, savePayload, type HistoryEntry } from '../../../../src/lib/publish-history';

const d = (payload: string, more: Partial<PublishDraft> = {}): PublishDraft => ({ ...emptyDraft(), payload, ...more });
const payloads = (h: readonly HistoryEntry[]) => h.map((e) => e.payload);

describe('addToHistory', () => {
  it('appends the newest at the end', () => {
    let h: HistoryEntry[] = [];
    h = addToHistory(h, d('a'), 1);
    h = addToHistory(h, d('b'), 2);
    expect(payloads(h)).toEqual(['a', 'b']);
    expect(h[1]!.at).toBe(2);
  });
  it('moves a repeated publication to the end instead of repeating it', () => {
    let h = [d('a'), d('b'), d('c')].reduce<HistoryEntry[]>((acc, x, i) => addToHistory(acc, x, i), []);
    h = addToHistory(h, d('a'), 9);
    expect(payloads(h)).toEqual(['b', 'c', 'a']);
    // a different QoS, format or property is a different publication
    h = addToHistory(h, d('a', { qos: 1 }), 10);
    h = addToHistory(h, d('a', { properties: { ...emptyProperties(), userProperties: [{ key: 'k', value: 'v' }] } }), 11);
    expect(payloads(h)).toEqual(['b', 'c', 'a', 'a', 'a']);
  });
  it('keeps the last 50', () => {
    let h: HistoryEntry[] = [];
    for (let i = 0; i < 60; i++) h = addToHistory(h, d(String(i)), i);
    expect(h).toHaveLength(50);
    expect(h[0]!.payload).toBe('10');
    expect(h[49]!.payload).toBe('59');
  });
  it('copies the draft, so later edits do not change the history', () => {
    const draft = d('x', { properties: { ...emptyProperties(), userProperties: [{ key: 'k', value: 'v' }] } });
    const h = addToHistory([], draft, 0);
    draft.properties.userProperties[0]!.value = 'changed';
    draft.payload = 'y';
    expect(h[0]!.payload).toBe('x');
    expect(h[0]!.properties.userProperties[0]!.value).toBe('v');
  });
});

describe('HistoryCursor (↑/↓ like a shell)', () => {
  const h = ['one', 'two', 'three'].reduce<HistoryEntry[]>((acc, p, i) => addToHistory(acc, d(p), i), []);

  it('goes up from the newest, stops at the oldest, and comes back down to the draft', () => {
    const c = new HistoryCursor();
    const typed = d('half typed');
    expect(c.up(h, typed)?.payload).toBe('three');
    expect(c.up(h, typed)?.payload).toBe('two');
    expect(c.up(h, typed)?.payload).toBe('one');
    expect(c.up(h, typed)).toBeUndefined();
    expect(c.index).toBe(0);
    expect(c.down(h)?.payload).toBe('two');
    expect(c.down(h)?.payload).toBe('three');
    expect(c.down(h)?.payload).toBe('half typed');
    expect(c.index).toBeUndefined();
    expect(c.down(h)).toBeUndefined();
  });
  it('does nothing on an empty history', () => {
    const c = new HistoryCursor();
    expect(c.up([], d('x'))).toBeUndefined();
    expect(c.down([])).toBeUndefined();
  });
  it('starts over after reset', () => {
    const c = new HistoryCursor();
    c.up(h, d(''));
    c.up(h, d(''));
    c.reset();
    expect(c.up(h, d(''))?.payload).toBe('three');
  });
  it('gives copies', () => {
    const c = new HistoryCursor();
    const e = c.up(h, d(''))!;
    e.payload = 'edited';
    expect(h[2]!.payload).toBe('three');
  });
});

describe('saved payloads', () => {
  it('saves, replaces by name, sorts and deletes', () => {
    let s = savePayload([], { name: 'b', payload: '1', format: 'plaintext' });
    s = savePayload(s, { name: 'a', payload: '{}', format: 'json' });
    s = savePayload(s, { name: 'b', payload: '2', format: 'hex' });
    expect(s).toEqual([{ name: 'a', payload: '{}', format: 'json' }, { name: 'b', payload: '2', format: 'hex' }]);
    expect(deletePayload(s, 'a')).toEqual([{ name: 'b', payload: '2', format: 'hex' }]);
  });
});

describe('reading back from the workspace', () => {
  it('keeps well-formed entries and drops the rest', () => {
    const good = { ...d('ok'), at: 5 };
    const book = readHistoryBook({
      A: [good, { topic: 't', payload: 'x', format: 'yaml', qos: 0, retain: false }, { topic: 't', payload: 'x', format: 'hex', qos: 3, retain: false }, null],
      B: 'not a list',
      C: [{ topic: 't', payload: '', format: 'plaintext', qos: 1, retain: true }],
    });
    expect(Object.keys(book)).toEqual(['A', 'C']);
    expect(book.A).toEqual([good]);
    expect(book.C![0]!.properties).toEqual(emptyProperties());
    expect(readHistoryBook(undefined)).toEqual({});
    expect(readHistoryBook([1, 2])).toEqual({});
  });
  it('drops entries with malformed properties', () => {
    const bad = { ...d('x'), properties: { userProperties: [{ key: 1 }] } };
    expect(readHistoryBook({ A: [bad] })).toEqual({});
  });
  it('reads saved payloads', () => {
    expect(readSavedPayloads([{ name: 'n', payload: 'p', format: 'base64' }, { name: '', payload: 'p', format: 'hex' }, { name: 'x' }, 7])).toEqual([{ name: 'n', payload: 'p', format: 'base64' }]);
    expect(readSavedPayloads({})).toEqual([]);
  });
});

describe('preview', () => {
  it('is one line, cut with an ellipsis', () => {
    expect(preview('{\n  "a": 1\n}')).toBe('{ "a": 1 }');
    expect(preview('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
