import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
} from 'graphql';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SOURCE_DIR = import.meta.dirname;
const SCHEMA_FILE = join(SOURCE_DIR, '..', '..', 'api', 'schema.graphql');
/** A GraphQL document as the web writes one: an operation or fragment keyword, or a query's opening brace. */
const LOOKS_LIKE_GRAPHQL = /^\s*(query|mutation|subscription|fragment)\b|^\s*\{\s+[A-Za-z_]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? // The generated typed documents repeat the pages' own.
        entry.name === 'gql'
        ? []
        : sourceFiles(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * Every text an expression can have, when it is made of string literals, templates, conditionals
 * and constants of the same file; undefined when it depends on anything else.
 */
function textsOf(node: ts.Expression, constants: ReadonlyMap<string, ts.Expression>): string[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isParenthesizedExpression(node)) return textsOf(node.expression, constants);
  if (ts.isConditionalExpression(node)) {
    const [a, b] = [textsOf(node.whenTrue, constants), textsOf(node.whenFalse, constants)];
    return a === undefined || b === undefined ? undefined : [...a, ...b];
  }
  if (ts.isIdentifier(node)) {
    const value = constants.get(node.text);
    return value === undefined ? undefined : textsOf(value, constants);
  }
  if (ts.isTemplateExpression(node)) {
    let texts: string[] = [node.head.text];
    for (const span of node.templateSpans) {
      const parts = textsOf(span.expression, constants);
      if (parts === undefined) return undefined;
      const current = texts;
      texts = parts.flatMap((part) => current.map((prefix) => `${prefix}${part}${span.literal.text}`));
    }
    return texts;
  }
  return undefined;
}

/** The GraphQL documents written in the web's sources, with where each is. */
function documentsIn(files: readonly string[]): { where: string; text: string | undefined }[] {
  const found: { where: string; text: string | undefined }[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const constants = new Map<string, ts.Expression>();
    const collect = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined)
        constants.set(node.name.text, node.initializer);
      ts.forEachChild(node, collect);
    };
    collect(source);
    const visit = (node: ts.Node): void => {
      const isText =
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
      // A part of a larger text is checked as part of it.
      const parent = node.parent as ts.Node | undefined;
      const inTemplate =
        parent !== undefined && (ts.isTemplateSpan(parent) || ts.isConditionalExpression(parent));
      const head = ts.isTemplateExpression(node)
        ? node.head.text
        : ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
          ? node.text
          : '';
      if (isText && !inTemplate && LOOKS_LIKE_GRAPHQL.test(head)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        const where = `${file.slice(SOURCE_DIR.length + 1)}:${String(line + 1)}`;
        const texts = textsOf(node, constants);
        if (texts === undefined) found.push({ where, text: undefined });
        else for (const text of texts) found.push({ where, text });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** The fragments a document spreads, and those they spread in turn, by name. */
function spreadIn(
  document: DocumentNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const collect = (node: DocumentNode | FragmentDefinitionNode): void => {
    visit(node, {
      FragmentSpread: (spread) => {
        const fragment = fragments.get(spread.name.value);
        if (fragment === undefined || found.has(fragment.name.value)) return;
        found.set(fragment.name.value, fragment);
        collect(fragment);
      },
    });
  };
  collect(document);
  return [...found.values()];
}

describe('the web’s GraphQL documents', () => {
  const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  const documents = documentsIn(sourceFiles(SOURCE_DIR));
  // Fragments are written once (as GraphQL Code Generator expects) and spread anywhere.
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { text } of documents) {
    if (text === undefined || !/^\s*fragment\b/.test(text)) continue;
    for (const definition of parse(text).definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  it('are found in the pages (the scan sees them)', () => {
    expect(documents.length).toBeGreaterThan(40);
  });

  it('each validate against the api’s committed schema', () => {
    const problems = documents.flatMap(({ where, text }) => {
      if (text === undefined) return [`${where}: built from something this check cannot read`];
      try {
        const document = parse(text);
        // A fragment alone is checked where an operation spreads it.
        if (document.definitions.every((d) => d.kind === Kind.FRAGMENT_DEFINITION)) return [];
        const whole: DocumentNode = {
          ...document,
          definitions: [...document.definitions, ...spreadIn(document, fragments)],
        };
        return validate(schema, whole).map((error) => `${where}: ${error.message}`);
      } catch (error) {
        return [`${where}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
  });
});
