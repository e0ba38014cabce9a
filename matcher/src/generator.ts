import {
  DEFAULT_PARAMETERS,
  PROCESSES,
  type MatchInput,
  type MatchParameters,
  type Process,
} from './model.js';

/** Mulberry32: a small seeded generator, so that an instance is a function of its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  seed: number;
  workOrders: number;
  factories: number;
  /** Capable factories per process, on average. */
  factoriesPerProcess: number;
  buckets: number;
  customers: number;
  /** Quotas per factory, on average. */
  quotasPerFactory: number;
  /** Share of work orders that are RUSH. */
  rushShare: number;
  /** How full the factories are: total work minutes / total free minutes. */
  load: number;
  parameters?: Partial<MatchParameters>;
}

export const SMALL: Omit<GeneratorOptions, 'seed'> = {
  workOrders: 4,
  factories: 3,
  factoriesPerProcess: 2,
  buckets: 5,
  customers: 2,
  quotasPerFactory: 0.5,
  rushShare: 0.25,
  load: 0.7,
};

export const BIG: Omit<GeneratorOptions, 'seed'> = {
  workOrders: 10_000,
  factories: 200,
  factoriesPerProcess: 20,
  buckets: 21,
  customers: 60,
  quotasPerFactory: 1,
  rushShare: 0.05,
  load: 0.8,
};

/**
 * A random instance of any size, the same for the same options: factories in a cluster offering
 * a few processes at prices around 1 yuan a minute, free minutes per shift, quotas sold to
 * customers, and work orders with one to three operations of whole standard minutes.
 */
export function generateInstance(options: GeneratorOptions): MatchInput {
  const random = seededRandom(options.seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const processesPerFactory = Math.max(
    1,
    Math.round((options.factoriesPerProcess * PROCESSES.length) / options.factories),
  );
  const factories = Array.from({ length: options.factories }, (_, i) => {
    const offered = new Set<Process>();
    while (offered.size < Math.min(PROCESSES.length, processesPerFactory)) offered.add(pick(PROCESSES));
    return {
      factoryId: `F${String(i + 1).padStart(4, '0')}`,
      processes: [...offered].sort().map((process) => ({ process, pricePerMinute: int(60, 160) })),
      available: true,
    };
  });
  const workOrders = Array.from({ length: options.workOrders }, (_, i) => {
    const steps = int(1, 3);
    const routing = Array.from({ length: steps }, (_, k) => ({
      seq: k + 1,
      process: pick(PROCESSES),
      standardMinutes: int(1, 4),
    }));
    const quantity = int(20, 200);
    const perUnitList = routing.reduce((s, op) => s + op.standardMinutes * 160, 0);
    return {
      workOrderId: `WO${String(i + 1).padStart(6, '0')}`,
      customerId: `C${String(int(1, options.customers)).padStart(3, '0')}`,
      quantity,
      routing,
      dueBucket: int(Math.min(options.buckets - 1, steps + 1), options.buckets - 1),
      priority: random() < options.rushShare ? ('RUSH' as const) : ('NORMAL' as const),
      maxUnitPrice: Math.round(perUnitList * (0.9 + random() * 0.5)),
    };
  });
  // Free minutes sized so that demand is about `load` of supply, per process.
  const demand = new Map<Process, number>();
  for (const w of workOrders)
    for (const op of w.routing)
      demand.set(op.process, (demand.get(op.process) ?? 0) + op.standardMinutes * w.quantity);
  const offering = new Map<Process, number>();
  for (const f of factories)
    for (const o of f.processes) offering.set(o.process, (offering.get(o.process) ?? 0) + 1);
  const capacity = factories.flatMap((f) =>
    f.processes.flatMap((o) =>
      Array.from({ length: options.buckets }, (_, bucket) => {
        // At least half a machine-shift: a factory that offers a process has a machine for it.
        const mean = Math.max(
          240,
          (demand.get(o.process) ?? 0) / options.load / (offering.get(o.process) ?? 1) / options.buckets,
        );
        return {
          factoryId: f.factoryId,
          process: o.process,
          bucket,
          freeMinutes: Math.round(mean * (0.5 + random())),
        };
      }),
    ),
  );
  const quotas = factories.flatMap((f) =>
    Array.from({ length: Math.floor(options.quotasPerFactory + random()) }, (_, k) => {
      const o = pick(f.processes);
      const windowStart = int(1, Math.max(1, options.buckets - 3));
      const windowEnd = Math.min(options.buckets - 1, windowStart + int(0, 3));
      let free = 0;
      for (const c of capacity)
        if (
          c.factoryId === f.factoryId &&
          c.process === o.process &&
          c.bucket >= windowStart &&
          c.bucket <= windowEnd
        )
          free += c.freeMinutes;
      return {
        quotaId: `Q-${f.factoryId}-${k + 1}`,
        factoryId: f.factoryId,
        process: o.process,
        windowStart,
        windowEnd,
        minutesLeft: Math.round(free * (0.2 + random() * 0.3)),
        pricePerMinute: Math.round(o.pricePerMinute * 0.85),
        buyerCustomerId: `C${String(int(1, options.customers)).padStart(3, '0')}`,
      };
    }),
  );
  return {
    buckets: options.buckets,
    parameters: { ...DEFAULT_PARAMETERS, ...options.parameters },
    factories,
    capacity: capacity.filter((c) => c.freeMinutes > 0),
    quotas,
    workOrders,
    currentPlan: [],
  };
}
