import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Kind, parse } from 'graphql';
import type { Plugin } from 'vite';

/** A page's typed document as it is written: `graphql(` then one template literal without `${…}`. */
const DOCUMENT_CALL = /\bgraphql\(\s*`((?:[^`$]|\$(?!\{))*)`\s*,?\s*\)/g;
/** How codegen's client preset writes each document: one line, its AST as JSON, then its type. */
const GENERATED_DOCUMENT = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;
/** Where a chunk finds one document: a module of its own, so no chunk carries another's. */
const MODULE_PREFIX = 'virtual:fabpool-document/';

/**
 * The name codegen's client preset exports a document under in `gql/graphql.ts`: the operation's
 * name and `Document`, or the fragment's and `FragmentDoc`. Our names are PascalCase already, so
 * its case conversion leaves them as they are; `importTypedDocuments` refuses any that it did not.
 */
export function exportedNameOf(document: string): string {
  const [first] = parse(document).definitions;
  if (first?.kind === Kind.FRAGMENT_DEFINITION) return `${first.name.value}FragmentDoc`;
  if (first?.kind === Kind.OPERATION_DEFINITION && first.name !== undefined)
    return `${first.name.value}Document`;
  throw new Error('a typed document needs a named operation or fragment first');
}

/** Each document the generated module exports, by name, as the JSON text of its AST. */
export function generatedDocuments(generated: string): Map<string, string> {
  return new Map([...generated.matchAll(GENERATED_DOCUMENT)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/**
 * The source with every `graphql(`…`)` replaced by an import of that one document, or undefined
 * when it has none. `graphql()` looks documents up in a map of all of them, and the generated
 * module holds all of them too, so a page that used either pulled every page's queries into the
 * first load; a module per document lets the bundler put each only where it is used.
 */
export function importTypedDocuments(
  source: string,
  file: string,
  documents: ReadonlyMap<string, string>,
): string | undefined {
  const names = new Set<string>();
  const replaced = source.replace(DOCUMENT_CALL, (_call, document: string) => {
    const name = exportedNameOf(document);
    if (!documents.has(name)) throw new Error(`${file}: codegen generated no ${name}; run the web's codegen`);
    names.add(name);
    return `__typed_${name}`;
  });
  // One left (a template with `${…}` in it) would pull every document back into the bundle.
  if (/\bgraphql\(\s*`/.test(replaced))
    throw new Error(`${file}: a graphql() document with \${…} in it cannot be imported alone; write it out`);
  if (names.size === 0) return undefined;
  const imports = [...names].map((n) => `import __typed_${n} from '${MODULE_PREFIX}${n}';\n`).join('');
  return imports + replaced;
}

/**
 * The build's side of `importTypedDocuments`: every source file of the app, against the documents
 * the generated module holds when the build starts; each document served as a module of its own.
 */
export function typedDocumentImports(generatedModule = resolve('src/gql/graphql.ts')): Plugin {
  let documents = new Map<string, string>();
  return {
    name: 'fabpool-typed-document-imports',
    apply: 'build',
    enforce: 'pre',
    async buildStart() {
      documents = generatedDocuments(await readFile(generatedModule, 'utf8'));
    },
    resolveId(id) {
      return id.startsWith(MODULE_PREFIX) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${MODULE_PREFIX}`)) return undefined;
      const name = id.slice(MODULE_PREFIX.length + 1);
      return `export default ${documents.get(name) ?? 'undefined'};\n`;
    },
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!/\/src\/.*\.tsx?$/.test(file) || file.startsWith(dirname(generatedModule))) return undefined;
      const rewritten = importTypedDocuments(code, file, documents);
      return rewritten === undefined ? undefined : { code: rewritten, map: null };
    },
  };
}
