import { describe, expect, it } from 'vitest';
import { ReadCache } from './readCache.js';

describe('ReadCache', () => {
  it('answers from memory until the read model moves, then loads again', async () => {
    let version = '1:a';
    let loads = 0;
    const cache = new ReadCache(() => version);
    const load = () => Promise.resolve(++loads);
    expect(await cache.get('pool', load)).toBe(1);
    expect(await cache.get('pool', load)).toBe(1);
    version = '2:b';
    expect(await cache.get('pool', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('shares one load between concurrent requests, and forgets a failed one', async () => {
    const cache = new ReadCache(() => 'v');
    let loads = 0;
    const failing = () => {
      loads += 1;
      return Promise.reject(new Error('database down'));
    };
    const [a, b] = await Promise.allSettled([cache.get('k', failing), cache.get('k', failing)]);
    expect([a.status, b.status, loads]).toEqual(['rejected', 'rejected', 1]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await cache.get('k', () => Promise.resolve('ok'))).toBe('ok');
  });

  it('starts over rather than grow past its bound', async () => {
    const cache = new ReadCache(() => 'v', 2);
    await cache.get('a', () => Promise.resolve(1));
    await cache.get('b', () => Promise.resolve(2));
    await cache.get('c', () => Promise.resolve(3));
    expect(cache.size).toBe(1);
  });
});
