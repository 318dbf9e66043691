import { afterEach, describe, expect, it, vi } from 'vitest';

// the i18n module reads localStorage and document at start: give it what a page has
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
vi.stubGlobal('document', { documentElement: { lang: 'en' } });
vi.stubGlobal('navigator', { language: 'en-US' });

const { i18n, t } = await import('../../../../src/lib/i18n/index.svelte');
const { en } = await import('../../../../src/lib/i18n/en');
const { zhCN } = await import('../../../../src/lib/i18n/zh-CN');

afterEach(() => i18n.set('en'));

describe('t', () => {
  it('fills placeholders, and picks the singular only for exactly one', () => {
    expect(t('labReactRouted', { n: 1 })).toBe('The broker routed the message to 1 subscriber.');
    expect(t('labReactRouted', { n: 0 })).toBe('The broker routed the message to 0 subscribers.');
    expect(t('labReactRouted', { n: 3 })).toBe('The broker routed the message to 3 subscribers.');
    expect(t('pktUndecoded', { n: 1 })).toBe('1 byte after it was not decoded.');
    expect(t('pktUndecoded', { n: 7 })).toBe('7 bytes after it were not decoded.');
  });

  it('leaves a placeholder without a value as it is, and says the same in Chinese without plurals', () => {
    expect(t('labReactRouted')).toContain('{n}');
    i18n.set('zh-CN');
    expect(t('labReactRouted', { n: 2 })).not.toMatch(/[{}|]/);
  });

  it('has no English text left with "(s)" for a plural, and every plural form well made in both languages', () => {
    for (const [key, text] of Object.entries(en)) expect(text, key).not.toMatch(/\w\((s|es|ies)\)/);
    for (const dict of [en, zhCN])
      for (const [key, text] of Object.entries(dict)) {
        for (const m of text.matchAll(/\{(\w+)\|/g)) expect(text, key).toMatch(new RegExp(`\\{${m[1]}\\|[^|}]*\\|[^|}]*\\}`));
      }
  });
});
