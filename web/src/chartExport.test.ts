import { describe, expect, it } from 'vitest';
import { chartRows } from './chartExport';
import { csvText } from './csv';

describe('a chart’s figures, exported', () => {
  it('puts the categories down and a column per series, points or numbers', () => {
    const option = {
      xAxis: { type: 'category', data: ['刀具磨损', '夹具松动'] },
      series: [
        { name: '次数', type: 'bar', data: [3, 1] },
        { name: '累计', type: 'line', data: [{ value: 0.75 }, { value: 1 }] },
      ],
    };
    expect(chartRows(option, '原因')).toEqual([
      ['原因', '次数', '累计'],
      ['刀具磨损', '3', '0.75'],
      ['夹具松动', '1', '1'],
    ]);
  });

  it('quotes the fields CSV needs quoted', () => {
    expect(csvText([['a,b', 'say "hi"', 'plain']])).toBe('"a,b","say ""hi""",plain');
  });
});
