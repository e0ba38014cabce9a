import { describe, expect, it } from 'vitest';
import { explainError, loadLanguage, translate } from './i18n';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

describe('the UI catalogues', () => {
  it('have the same keys in Chinese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const catalogue of [en, zhCN])
      for (const [key, words] of Object.entries(catalogue)) expect(words.trim(), key).not.toBe('');
  });

  it('look a key up per language, error codes with dots included, and read an unknown key as itself', async () => {
    await loadLanguage('en');
    expect(translate('zh', 'login')).toBe('登录');
    expect(translate('en', 'login')).toBe('Log in');
    expect(translate('zh', 'LOT.WRONG_STATUS')).toBe(zhCN['LOT.WRONG_STATUS']);
    expect(translate('en', 'NEW_STATUS' as never)).toBe('NEW_STATUS');
  });

  it('explains a known refusal with its hint and an unknown one by its code', async () => {
    await loadLanguage('en');
    const t = (key: Parameters<typeof translate>[1]) => translate('en', key);
    expect(explainError(t, 'LOT.WRONG_STATUS', 'lot L is DONE')).toBe(
      `${en['LOT.WRONG_STATUS']}（LOT.WRONG_STATUS: lot L is DONE）`,
    );
    expect(explainError(t, 'X.Y', 'why')).toBe('X.Y: why');
  });
});
