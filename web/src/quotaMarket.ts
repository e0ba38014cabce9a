import { graphql } from './gql';
import type { QuotaMarketQuery } from './gql/graphql';
import type { MessageKey } from './i18n';

/**
 * The quota market (工单额度) as the customers' and the factories' desks read it: the latest
 * quotas, at most one page of the api's largest size.
 */
export const QUOTA_MARKET = graphql(`
  query QuotaMarket {
    quotaMarket(first: 500) {
      edges {
        node {
          id
          factoryId
          process
          windowStart
          windowEnd
          minutes
          consumedMinutes
          pricePerMinute
          status
          terms {
            releaseRefundPercent
            releaseNoticeHours
            expiryRefundPercent
          }
          payment {
            amount
            status
            paymentReference
            closedBy
            usedValue
            refunded
            forfeited
          }
        }
      }
    }
  }
`);

/** A capacity quota as the market lists it. */
export type Quota = QuotaMarketQuery['quotaMarket']['edges'][number]['node'];

/** The quotas of a market answer. */
export const quotasOf = (answer: QuotaMarketQuery | undefined): Quota[] =>
  (answer?.quotaMarket.edges ?? []).map((e) => e.node);

/** The terms of a quota in words: what comes back of the unused prepayment, and when. */
export const termsText = (t: (key: MessageKey) => string, q: Quota): string =>
  t('quotaTermsText')
    .replace('{{notice}}', String(q.terms.releaseNoticeHours))
    .replace('{{release}}', String(q.terms.releaseRefundPercent))
    .replace('{{expiry}}', String(q.terms.expiryRefundPercent));
