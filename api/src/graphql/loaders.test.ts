import { describe, expect, it } from 'vitest';
import { batchLoader } from './loaders.js';

describe('batchLoader', () => {
  it('answers every key asked in one tick with one load, and each later tick with another', async () => {
    const loads: string[][] = [];
    const load = batchLoader((keys) => {
      loads.push(keys);
      return Promise.resolve(new Map(keys.filter((k) => k !== 'none').map((k) => [k, k.toUpperCase()])));
    }, '?');
    expect(await Promise.all([load('a'), load('b'), load('a'), load('none')])).toEqual(['A', 'B', 'A', '?']);
    expect(await load('c')).toBe('C');
    expect(loads).toEqual([['a', 'b', 'none'], ['c']]);
  });

  it('fails every waiter of a batch whose load fails', async () => {
    const load = batchLoader<string>(() => Promise.reject(new Error('down')), '?');
    await expect(Promise.all([load('a'), load('b')])).rejects.toThrow('down');
  });
});
