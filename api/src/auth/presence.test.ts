import { describe, expect, it } from 'vitest';
import { Presence } from './presence.js';

describe('presence', () => {
  it('names the members someone acted as lately, and forgets them after a quiet spell', () => {
    let now = 0;
    const presence = new Presence(() => now);
    presence.saw('factory-a-user');
    now += 10 * 60_000;
    presence.saw('customer-1');
    expect(presence.active(30)).toEqual(new Set(['factory-a-user', 'customer-1']));
    now += 25 * 60_000;
    expect(presence.active(30)).toEqual(new Set(['customer-1']));
    presence.saw('factory-a-user');
    expect(presence.active(30)).toEqual(new Set(['customer-1', 'factory-a-user']));
  });
});
