import { Alert } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { explainError, type MessageKey } from './i18n';

/**
 * One place for what every action button does after it is pressed: the api's refusal (its code
 * and reason) or what was done, shown above the page's table.
 */
export function useAction(
  t: (key: MessageKey) => string,
  /** Only refusals: for an action inside a table cell, whose result the cell itself shows. */
  options: { errorsOnly?: boolean } = {},
): {
  run: (work: () => Promise<unknown>, done: string) => Promise<boolean>;
  banner: ReactNode;
  /** True while an action runs: its button shows it is working (a ledger commit takes a block). */
  busy: boolean;
} {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const [running, setRunning] = useState(0);
  const run = async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
    setRunning((n) => n + 1);
    try {
      await work();
      setMessage({ ok: true, text: `${t('done')}: ${done}` });
      return true;
    } catch (e) {
      setMessage({
        ok: false,
        text: `${t('actionFailed')}${e instanceof ApiError ? explainError(t, e.code, e.message) : String(e)}`,
      });
      return false;
    } finally {
      setRunning((n) => n - 1);
    }
  };
  const banner =
    message === undefined || (message.ok && options.errorsOnly === true) ? null : (
      <Alert
        data-testid="action-result"
        style={{ marginBottom: 12 }}
        type={message.ok ? 'success' : 'error'}
        title={message.text}
      />
    );
  return { run, banner, busy: running > 0 };
}
