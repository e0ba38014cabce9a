/**
 * The UI's words: Simplified Chinese first, English second. The catalogues are the JSON files in
 * `locales/` (one per language, the same keys: `i18n.test.ts` checks); i18next looks them up.
 * Keys are flat — an api error code such as `LOT.WRONG_STATUS` is a key as it stands. Chinese,
 * the default, comes with the app; another language's catalogue loads when it is chosen.
 */
import i18next from 'i18next';
import zhCN from './locales/zh-CN.json';

export type Language = 'zh' | 'en';
export type MessageKey = keyof typeof zhCN;

/** The catalogue's locale of each language the UI offers. */
const LOCALE: Record<Language, string> = { zh: 'zh-CN', en: 'en' };

export const i18n = i18next.createInstance();
void i18n.init({
  resources: { 'zh-CN': { translation: zhCN } },
  lng: LOCALE.zh,
  fallbackLng: LOCALE.zh,
  keySeparator: false,
  nsSeparator: false,
  // React escapes what it renders; the catalogues hold text, not markup.
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** Makes a language's catalogue available (once); `translate` in it works after this resolves. */
export async function loadLanguage(language: Language): Promise<void> {
  if (language === 'en' && !i18n.hasResourceBundle(LOCALE.en, 'translation')) {
    const { default: en } = await import('./locales/en.json');
    i18n.addResourceBundle(LOCALE.en, 'translation', en);
  }
}

/** The words for a key; a key the catalogues lack (a status the api added later) reads as itself. */
export function translate(language: Language, key: MessageKey): string {
  return i18n.t(key, { lng: LOCALE[language], defaultValue: key });
}

/** A refusal as the user reads it: what it means and what to do, then the api's code and reason. */
export function explainError(t: (key: MessageKey) => string, code: string, message: string): string {
  const hint = t(code as MessageKey);
  return hint === code ? `${code}: ${message}` : `${hint}（${code}: ${message}）`;
}
