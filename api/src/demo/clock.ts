/**
 * The demo's clock. A fresh demo starts its alliance some hours in the past and plays them
 * forward fast, with the durations a shop floor really has (an operation of 150 pieces at 2
 * minutes each takes five hours), so that a person who logs in finds a history to look at as well
 * as work in progress. Once it has caught up with the present it is the system clock. It never
 * goes back: the ledger's transaction times, the matcher's and the simulator's all read it.
 */
export class DemoClock {
  private simulated: number | undefined;
  private last = 0;

  constructor(
    start: number,
    private readonly real: () => number = () => Date.now(),
  ) {
    this.simulated = start < real() ? start : undefined;
  }

  readonly now = (): number => {
    const t = Math.max(this.last, this.simulated ?? this.real());
    this.last = t;
    return t;
  };

  /** Whether the clock runs with the system clock now. */
  get live(): boolean {
    return this.simulated === undefined;
  }

  /** Moves the played-back time forward; at the present, the clock becomes the system clock. */
  advance(ms: number): void {
    if (this.simulated === undefined) return;
    const next = this.simulated + ms;
    this.simulated = next < this.real() ? next : undefined;
  }
}
