/**
 * Where a work order stands on the board, derived from its lots: what a planner asks of it first.
 */
export const BOARD_COLUMNS = [
  'TO_PLACE',
  'TO_ACCEPT',
  'IN_PRODUCTION',
  'DONE',
  'DELIVERED',
  'PROBLEM',
] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

export interface BoardLot {
  status: string;
  quantity: number;
  fromSeq: number;
  toSeq: number;
}

export interface BoardOrder {
  status: string;
  quantity: number;
  dueBucket: string;
  /** The routing's operations by number. */
  routing: { seq: number }[];
  lots: BoardLot[];
}

/** Lots that no longer carry units of their order. */
const GONE = new Set(['REJECTED', 'REASSIGNED', 'CANCELLED']);
const FINISHED = new Set(['DONE', 'DELIVERED', 'SETTLED']);
const HANDED_BACK = new Set(['DELIVERED', 'SETTLED']);
const SHIFT_MS = 8 * 3_600_000;

/** Units of each operation no live lot carries, at most: what the matcher still has to place. */
export function unplacedUnits(order: BoardOrder): number {
  const live = order.lots.filter((l) => !GONE.has(l.status));
  return Math.max(
    0,
    ...order.routing.map(
      (op) =>
        order.quantity -
        live.filter((l) => l.fromSeq <= op.seq && op.seq <= l.toSeq).reduce((sum, l) => sum + l.quantity, 0),
    ),
  );
}

/**
 * The board's column of an open order: 异常 when its due shift is over and it is not all delivered,
 * or when a plant refused units nobody carries now; else 待派单 while units are unplaced, 待接单
 * while a lot waits for its plant, 生产中, 已完工 once every lot is done, 已交付 once the last
 * operation's lots are all handed back. Orders no longer open have none (undefined).
 */
export function boardColumn(order: BoardOrder, nowMs: number): BoardColumn | undefined {
  if (order.status !== 'OPEN') return undefined;
  const live = order.lots.filter((l) => !GONE.has(l.status));
  const last = Math.max(0, ...order.routing.map((op) => op.seq));
  const deliveredUnits = live
    .filter((l) => l.toSeq === last && HANDED_BACK.has(l.status))
    .reduce((sum, l) => sum + l.quantity, 0);
  const unplaced = unplacedUnits(order);
  if (deliveredUnits >= order.quantity && unplaced === 0) return 'DELIVERED';
  const overdue = Date.parse(order.dueBucket) + SHIFT_MS < nowMs;
  const refusedAndOpen = unplaced > 0 && order.lots.some((l) => l.status === 'REJECTED');
  if (overdue || refusedAndOpen) return 'PROBLEM';
  if (unplaced > 0) return 'TO_PLACE';
  if (live.some((l) => l.status === 'ASSIGNED')) return 'TO_ACCEPT';
  if (live.length > 0 && live.every((l) => FINISHED.has(l.status))) return 'DONE';
  return 'IN_PRODUCTION';
}

/** How pressing an order is: late, due within a shift, rush, or neither. */
export function urgencyOf(
  order: BoardOrder & { priority: string },
  nowMs: number,
): 'LATE' | 'SOON' | 'RUSH' | 'NONE' {
  // A delivered order presses nobody, whenever it was due.
  if (boardColumn(order, nowMs) === 'DELIVERED') return 'NONE';
  const dueEnd = Date.parse(order.dueBucket) + SHIFT_MS;
  if (dueEnd < nowMs) return 'LATE';
  if (dueEnd - nowMs < SHIFT_MS) return 'SOON';
  return order.priority === 'RUSH' ? 'RUSH' : 'NONE';
}
