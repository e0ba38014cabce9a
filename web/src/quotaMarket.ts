import { graphql } from './gql';
import type { QuotaMarketQuery } from './gql/graphql';

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
