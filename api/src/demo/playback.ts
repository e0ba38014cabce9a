import type { RunningApi } from '../server.js';
import type { DemoClock } from './clock.js';
import type { ShopFloorSimulator } from './simulator.js';

export interface Playback {
  steps: number;
  seconds: number;
}

/**
 * Plays the demo's first hours forward fast: each step moves the clock on by `stepMinutes`, lets
 * the simulated floor act, and lets the matcher (its schedule and its triggers) and the alert
 * watch see the result, as they would have in real time. Stops when the clock has caught up with
 * the present; from then on everything runs in real time.
 */
export async function playBack(
  api: RunningApi,
  clock: DemoClock,
  simulator: ShopFloorSimulator,
  options: { stepMinutes: number; log: (line: string) => void },
): Promise<Playback> {
  const started = performance.now();
  let steps = 0;
  while (!clock.live) {
    clock.advance(options.stepMinutes * 60_000);
    await simulator.step();
    await api.projector.caughtUp((await api.ledger.height()) - 1);
    await api.matcher.tick();
    await api.matcher.idle();
    await api.alerts.tick();
    steps++;
    if (steps % 24 === 0)
      options.log(
        `Demo playback: ${new Date(clock.now()).toISOString().slice(0, 16)}Z reached (${steps} steps)`,
      );
  }
  return { steps, seconds: (performance.now() - started) / 1000 };
}
