import { Button } from 'antd';
import { useState } from 'react';
import type { MessageKey } from './i18n';

/** How many rows of a growing list a page shows at first, and how many more each "more" adds. */
export const PAGE = 100;

/**
 * A growing list shown a page at a time: how many rows to ask for (`first`), and a "show more"
 * button while the api says more follow.
 */
export function usePaging(t: (key: MessageKey) => string): {
  first: number;
  showMore: (pageInfo: { hasNextPage: boolean } | undefined) => React.ReactNode;
} {
  const [first, setFirst] = useState(PAGE);
  return {
    first,
    showMore: (pageInfo) =>
      pageInfo?.hasNextPage === true ? (
        <Button
          style={{ marginTop: 8 }}
          onClick={() => {
            setFirst((n) => n + PAGE);
          }}
        >
          {t('more')}
        </Button>
      ) : null,
  };
}
