export * from './model.js';
export { allocate, Dispatcher, type Allocation, type AllocationResult } from './allocate.js';
export { CapacityBook, lotMinutes } from './capacity.js';
export { CONSTRAINTS, violationsOf, type Constraint } from './constraints.js';
export { solveExactly } from './exact.js';
export { lowerBound, LP_BOUND_LIMIT, type LowerBound } from './bound.js';
export { generateInstance, seededRandom, BIG, SMALL, type GeneratorOptions } from './generator.js';
export { canonicalJson, inputHashOf } from './hash.js';
export { buildPlan } from './plan.js';
export {
  solve,
  engineOrder,
  IMPROVEMENT_DISPATCHES,
  MULTI_START_LIMIT,
  type Search,
  type Solver,
} from './solve.js';
export { whatIf, type Change, type Impact } from './whatIf.js';
