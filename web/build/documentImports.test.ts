import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportedNameOf, generatedDocuments, importTypedDocuments } from './documentImports';
import { BoardDocument, LedgerWriteFragmentDoc } from '../src/gql/graphql';

const DOCUMENTS = new Map([
  ['BoardDocument', '{"kind":"Document"}'],
  ['LedgerWriteFragmentDoc', '{"kind":"Document"}'],
  ['CancelOrderDocument', '{"kind":"Document"}'],
]);

describe('typed documents imported one by one', () => {
  it('names an operation’s document and a fragment’s as the client preset exports them', () => {
    expect(exportedNameOf('query Board { pool { id } }')).toBe('BoardDocument');
    expect(exportedNameOf('fragment LedgerWrite on LedgerPayload { receipt { id } }')).toBe(
      'LedgerWriteFragmentDoc',
    );
    expect(() => exportedNameOf('{ pool { id } }')).toThrow(/named operation/);
  });

  it('reads every document the generated module holds, exactly as it holds it', () => {
    const generated = readFileSync(join(import.meta.dirname, '..', 'src', 'gql', 'graphql.ts'), 'utf8');
    const documents = generatedDocuments(generated);
    expect(documents.size).toBe([...generated.matchAll(/^export const \w+ = \{/gm)].length);
    expect(JSON.parse(documents.get('BoardDocument') ?? '')).toEqual(BoardDocument);
    expect(JSON.parse(documents.get('LedgerWriteFragmentDoc') ?? '')).toEqual(LedgerWriteFragmentDoc);
  });

  it('replaces each graphql() call, variables and all, with an import of that document alone', () => {
    const source = [
      "import { graphql } from '../gql';",
      'const BOARD = graphql(`',
      '  query Board {',
      '    pool { id }',
      '  }',
      '`);',
      'const CANCEL = graphql(`mutation CancelOrder($id: ID!) { cancel(id: $id) { ...LedgerWrite } }`);',
      'const AGAIN = graphql(`query Board { pool { id } }`);',
    ].join('\n');
    const out = importTypedDocuments(source, '/app/web/src/pages/Board.tsx', DOCUMENTS) ?? '';
    expect(out.split('\n').slice(0, 2)).toEqual([
      "import __typed_BoardDocument from 'virtual:fabpool-document/BoardDocument';",
      "import __typed_CancelOrderDocument from 'virtual:fabpool-document/CancelOrderDocument';",
    ]);
    expect(out).toContain('const BOARD = __typed_BoardDocument;');
    expect(out).toContain('const CANCEL = __typed_CancelOrderDocument;');
    expect(out).toContain('const AGAIN = __typed_BoardDocument;');
    expect(out).not.toMatch(/graphql\(`/);
  });

  it('refuses a document built with ${…}, which would bring every document back', () => {
    expect(() =>
      importTypedDocuments('graphql(`query Board { ${fields} }`)', '/app/web/src/a.ts', DOCUMENTS),
    ).toThrow(/cannot be imported alone/);
  });

  it('leaves a file without documents alone, and refuses a document codegen has not generated', () => {
    expect(importTypedDocuments('const a = 1;', '/app/web/src/a.ts', DOCUMENTS)).toBeUndefined();
    expect(() =>
      importTypedDocuments('graphql(`query Stale { a }`)', '/app/web/src/a.ts', DOCUMENTS),
    ).toThrow(/codegen generated no StaleDocument; run the web's codegen/);
  });
});
