import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF lines and a byte-order mark', () => {
    const text = '\uFEFFid,note\r\nA-1,"两件, ""加急"""\r\n\r\nA-2,"line one\nline two"\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['A-1', '两件, "加急"'] },
      { line: 4, fields: ['A-2', 'line one\nline two'] },
    ]);
  });

  it('keeps empty fields and refuses an unclosed quote', () => {
    expect(parseCsv('a,,c')).toEqual([{ line: 1, fields: ['a', '', 'c'] }]);
    expect(() => parseCsv('a,"b\nc')).toThrow('a quoted field is not closed');
  });

  it('reads lines ended in LF and CRLF mixed in one file', () => {
    expect(parseCsv('a,b\r\nc,"d\r\ne"\n\r\nf,g\r\nh,i')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd\r\ne'] },
      { line: 5, fields: ['f', 'g'] },
      { line: 6, fields: ['h', 'i'] },
    ]);
  });
});
