/** A capacity quota (工单额度) as the api's quota market lists it. */
export interface Quota {
  id: string;
  factoryId: string;
  process: string;
  windowStart: string;
  windowEnd: string;
  minutes: number;
  consumedMinutes: number;
  pricePerMinute: number;
  status: string;
}

export const QUOTA_MARKET_QUERY =
  '{ quotaMarket { id factoryId process windowStart windowEnd minutes consumedMinutes pricePerMinute status } }';
