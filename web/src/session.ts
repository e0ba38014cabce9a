import type { MessageKey } from './i18n';

export interface Session {
  token: string;
  username: string;
  role: string;
}

/** What every page gets: the words of the chosen language and who is logged in. */
export interface PageProps {
  t: (key: MessageKey) => string;
  session: Session;
}

export const shiftLabel = (bucket: string): string => bucket.slice(5, 16).replace('T', ' ');
