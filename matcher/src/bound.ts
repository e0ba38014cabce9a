import { lagrangianBound } from './bound/lagrangian.js';
import { lpBound } from './bound/lp.js';
import { relaxationOf } from './bound/relaxation.js';
import type { MatchInput } from './model.js';

export interface LowerBound {
  /** No plan that keeps every rule costs less than this (fen). */
  bound: number;
  /** 'lp': the relaxation's optimum, by HiGHS; 'lagrangian': its dual at the best multipliers found. */
  method: 'lp' | 'lagrangian';
  /** HiGHS's status for the LP ('Optimal' for a bound); the iterations run for the Lagrangian. */
  status: string;
  /** The relaxation's size: LP columns and rows, or the Lagrangian's multipliers. */
  columns: number;
  rows: number;
  /** Work orders the relaxation proves can finish no unit (no capable factory left, or too dear). */
  unfinishable: number;
  /** The unplaced penalty of those orders' units: part of every plan's cost and of the bound. */
  unavoidablePenalty: number;
  millis: number;
}

/** Up to this many work orders the LP is solved (seconds); above, the Lagrangian answers. */
export const LP_BOUND_LIMIT = 1000;

/**
 * A lower bound on the cost of every plan that keeps the rules (`violationsOf`), at any size.
 * `target` is a plan's cost (the engine's): the Lagrangian's steps aim at it.
 */
export async function lowerBound(
  input: MatchInput,
  options: { method?: 'lp' | 'lagrangian'; target?: number; iterations?: number } = {},
): Promise<LowerBound> {
  const t0 = performance.now();
  const relaxation = relaxationOf(input);
  const method = options.method ?? (input.workOrders.length <= LP_BOUND_LIMIT ? 'lp' : 'lagrangian');
  const found =
    method === 'lp'
      ? await lpBound(relaxation)
      : lagrangianBound(relaxation, options.target ?? relaxation.constant, options.iterations ?? 300);
  return { ...found, millis: performance.now() - t0 };
}
