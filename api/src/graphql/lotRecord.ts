import { lotSchema } from '@fabpool/chaincode/model';
import { PRICE_FIELDS } from '../access/commercialData.js';
import type { RequestSchema } from './schemaTypes.js';

/**
 * A lot as the ledger holds it (the chaincode's lot schema), its prices optional: a caller who
 * may not see a lot's prices gets them null.
 */
export const LOT_RECORD_SCHEMA: RequestSchema = {
  ...(lotSchema as RequestSchema),
  required: (lotSchema as RequestSchema).required?.filter((field) => !PRICE_FIELDS.has(field)),
};
