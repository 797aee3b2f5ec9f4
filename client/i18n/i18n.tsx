import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { en, zh } from './strings.js';
import type { MessageKey } from './strings.js';

export type Lang = 'zh' | 'en';
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const LANG_STORAGE_KEY = 'hexwatch.lang';
const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, zh };

/** A stored choice wins; otherwise Chinese when the browser (or Feishu webview) prefers it. */
export function initialLang(): Lang {
  const stored = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
  if (stored === 'zh' || stored === 'en') return stored;
  const preferred = globalThis.navigator?.languages?.[0] ?? globalThis.navigator?.language ?? 'zh';
  return preferred.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Fills `{name}` placeholders; one that `params` lacks stays as written. Features with their own tables use it too. */
export function fillPlaceholders(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return fillPlaceholders(MESSAGES[lang][key] ?? key, params);
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = translate(lang, 'app.title');
  }, [lang]);
  const value = useMemo<I18nValue>(
    () => ({ lang, setLang, t: (key, params) => translate(lang, key, params) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT() needs <I18nProvider> above it');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}

export function useLang(): [Lang, (lang: Lang) => void] {
  const { lang, setLang } = useI18n();
  return [lang, setLang];
}

export function LanguageToggle() {
  const [lang, setLang] = useLang();
  const t = useT();
  return (
    <button
      type="button"
      className="hw-button hw-button--ghost"
      data-testid="language-toggle"
      aria-label={t('lang.switchLabel')}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('lang.switch')}
    </button>
  );
}

/**
 * `t` over a feature's own string table (features keep their strings beside them: the app's
 * i18n has no way to register them), in the app's current language.
 */
export function useTableT<K extends string>(tables: Readonly<Record<Lang, Readonly<Record<K, string>>>>): (key: K, params?: Record<string, string | number>) => string {
  const [lang] = useLang();
  return useCallback((key: K, params?: Record<string, string | number>) => fillPlaceholders(tables[lang][key], params), [tables, lang]);
}
