import { describe, expect, it } from 'vitest';
import { DemoClock } from './clock.js';

describe('the demo clock', () => {
  it('plays back from the start given, forward only, and becomes the system clock at the present', () => {
    let real = 1_000_000;
    const clock = new DemoClock(real - 30_000, () => real);
    expect(clock.live).toBe(false);
    expect(clock.now()).toBe(970_000);
    clock.advance(10_000);
    expect(clock.now()).toBe(980_000);
    real += 5_000;
    clock.advance(40_000);
    expect(clock.live).toBe(true);
    expect(clock.now()).toBe(1_005_000);
    real += 1_000;
    expect(clock.now()).toBe(1_006_000);
  });

  it('never goes back, even when the system clock does', () => {
    let real = 500;
    const clock = new DemoClock(1_000, () => real);
    expect(clock.live).toBe(true);
    expect(clock.now()).toBe(500);
    real = 400;
    expect(clock.now()).toBe(500);
  });
});
