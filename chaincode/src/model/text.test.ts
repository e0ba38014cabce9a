import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as model from './index.js';
import { requestParsers, TEXT_PATTERN } from './index.js';

/** Every string schema inside a JSON Schema, with where it is. */
function stringSchemas(schema: unknown, path: string): [string, Record<string, unknown>][] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => stringSchemas(s, `${path}/${i}`));
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const own: [string, Record<string, unknown>][] = node.type === 'string' ? [[path, node]] : [];
  return [
    ...own,
    ...Object.entries(node).flatMap(([key, value]) =>
      key === 'enum' || key === 'required' ? [] : stringSchemas(value, `${path}/${key}`),
    ),
  ];
}

const published = Object.entries(model).filter(
  ([name, value]) => name.endsWith('Schema') && typeof value === 'object',
);
const requests = Object.entries(requestParsers).map(([name, parser]) => [name, parser.schema] as const);

/** Text that a database cannot hold: U+0000 and lone surrogate halves among them. */
const unholdable = (text: string): boolean =>
  text.includes('\u0000') || /\p{Cs}/u.test(text) || Buffer.from(text, 'utf8').toString('utf8') !== text;

describe('the text rule', () => {
  it('bounds every string of every record and request: a pattern, an enum, a constant or a format', () => {
    const open: string[] = [];
    for (const [name, schema] of [...published, ...requests])
      for (const [path, node] of stringSchemas(schema, name))
        if (!['pattern', 'enum', 'const', 'format'].some((k) => k in node)) open.push(path);
    expect(open).toEqual([]);
    expect(published.length).toBeGreaterThan(10);
  });

  it('refuses control characters and lone surrogates in free text, and accepts any other text', () => {
    const codeUnits = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    });
    const anyText = fc.oneof(codeUnits, fc.string({ unit: 'binary', maxLength: 20 }));
    fc.assert(
      fc.property(anyText, (reason) => {
        const request = { requestId: 'reject-0001', lotId: 'L-1', reason: `r${reason}` };
        let accepted = true;
        try {
          requestParsers.rejectLot.check(request);
        } catch {
          accepted = false;
        }
        const forbidden = !new RegExp(TEXT_PATTERN, 'u').test(`r${reason}`);
        expect(accepted).toBe(!forbidden);
        // What the rule lets through, PostgreSQL's jsonb holds.
        if (accepted) expect(unholdable(request.reason)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('names the tab, line feed and carriage return as the only control characters allowed', () => {
    const allowed = Array.from({ length: 0xa0 }, (_, c) => String.fromCharCode(c)).filter((ch) =>
      new RegExp(TEXT_PATTERN, 'u').test(ch),
    );
    expect(allowed.filter((ch) => ch < ' ' || (ch >= '\u007f' && ch < '\u00a0'))).toEqual(['\t', '\n', '\r']);
    expect(new RegExp(TEXT_PATTERN, 'u').test('\ud800')).toBe(false);
    expect(new RegExp(TEXT_PATTERN, 'u').test('工单 😀 Ωmega')).toBe(true);
  });
});
