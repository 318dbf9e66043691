/**
 * The UI's language: English or Simplified Chinese, chosen by the learner
 * (remembered in localStorage) or from the browser. `t('newConnection')`
 * gives the word in the current language; `{name}` placeholders are filled
 * from the second argument.
 */
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: { id: Locale; label: string }[] = [
  { id: 'en', label: 'EN' },
  { id: 'zh-CN', label: '中文' },
];

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'mqtt-playground.locale';

function initial(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage may be unavailable (private mode): fall back to the browser's language
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

class I18n {
  locale = $state<Locale>(initial());

  set(locale: Locale): void {
    this.locale = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // not remembered, but still applied
    }
    document.documentElement.lang = locale;
  }
}

export const i18n = new I18n();

/**
 * `{n}` is replaced by params.n; `{n|subscriber|subscribers}` by the first
 * word when params.n is 1 and by the second otherwise (English needs it,
 * Chinese does not).
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const s = dictionaries[i18n.locale][key];
  if (!params) return s;
  return s.replace(/\{(\w+)(?:\|([^|}]*)\|([^|}]*))?\}/g, (whole, k: string, one?: string, other?: string) => {
    if (!(k in params)) return whole;
    if (one === undefined) return String(params[k]);
    return Number(params[k]) === 1 ? one : other!;
  });
}

export type { MessageKey };
