import { resolveOffsetConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';
import type { Page } from '../repositories/queryable.js';

/** How many rows a page of a growing list has when the client does not say, and at most. */
export const PAGE_SIZES = { defaultSize: 50, maxSize: 500 } as const;

/**
 * A list that can grow, as a Relay connection: the client pages with `first`/`after` (or
 * `last`/`before`) and the repository reads just that page, one row more to know if another
 * follows. Cursors are offsets in the list's order.
 */
export function pagedList<T>(
  args: DefaultConnectionArguments,
  read: (page: Page) => Promise<readonly T[]>,
  sizes: { defaultSize: number; maxSize: number } = PAGE_SIZES,
): ReturnType<typeof resolveOffsetConnection<T, Promise<readonly T[]>>> {
  return resolveOffsetConnection({ args, ...sizes }, read);
}
