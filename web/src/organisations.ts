import { useQuery } from 'urql';
import { graphql } from './gql';

const ORGANISATIONS = graphql(`
  query Organisations {
    organisations {
      mspId
      name
    }
  }
`);

/**
 * Member companies by the names people know them by (a factory by its plants): pages show these,
 * not MSP ids. Until the names arrive, and for a company not listed, the id without its suffix.
 */
export function useOrganisationName(): (mspId: string | null | undefined) => string {
  return useOrganisations().nameOf;
}

/** Every member company (id and name, by name), and the name of one. */
export function useOrganisations(): {
  list: { mspId: string; name: string }[];
  nameOf: (mspId: string | null | undefined) => string;
} {
  const [{ data }] = useQuery({ query: ORGANISATIONS });
  const list = data?.organisations ?? [];
  const names = new Map(list.map((o) => [o.mspId, o.name]));
  return {
    list,
    nameOf: (mspId) =>
      mspId === null || mspId === undefined ? '—' : (names.get(mspId) ?? mspId.replace(/MSP$/, '')),
  };
}
