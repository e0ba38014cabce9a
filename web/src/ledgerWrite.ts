import { graphql } from './gql';

/**
 * What every ledger write asks back: the receipt of the transaction, and the refusals a user can
 * fix (see `Api.write`). Operations spread it as `...LedgerWrite`.
 */
export const LEDGER_WRITE = graphql(`
  fragment LedgerWrite on LedgerPayload {
    receipt {
      transactionId
    }
    userErrors {
      code
      message
      field
    }
  }
`);
