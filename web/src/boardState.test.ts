import { describe, expect, it } from 'vitest';
import { boardColumn, unplacedUnits, urgencyOf, type BoardLot, type BoardOrder } from './boardState';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const lot = (status: string, quantity: number, fromSeq = 1, toSeq = fromSeq): BoardLot => ({
  status,
  quantity,
  fromSeq,
  toSeq,
});
const order = (lots: BoardLot[], overrides: Partial<BoardOrder> = {}): BoardOrder => ({
  status: 'OPEN',
  quantity: 100,
  dueBucket: '2026-11-26T08:00:00Z',
  routing: [{ seq: 1 }, { seq: 2 }],
  lots,
  ...overrides,
});

describe('where an order stands on the board', () => {
  it('waits to be placed while units of any operation are unplaced', () => {
    expect(unplacedUnits(order([lot('ASSIGNED', 100, 1), lot('ASSIGNED', 60, 2)]))).toBe(40);
    expect(boardColumn(order([]), NOW)).toBe('TO_PLACE');
    expect(boardColumn(order([lot('ACCEPTED', 100, 1, 2), lot('REASSIGNED', 100, 1, 2)]), NOW)).toBe(
      'IN_PRODUCTION',
    );
  });

  it('waits for its plants, is in production, done, then delivered', () => {
    expect(boardColumn(order([lot('ASSIGNED', 100, 1, 2)]), NOW)).toBe('TO_ACCEPT');
    expect(boardColumn(order([lot('DONE', 100, 1), lot('IN_PROGRESS', 100, 2)]), NOW)).toBe('IN_PRODUCTION');
    expect(boardColumn(order([lot('DELIVERED', 100, 1), lot('DONE', 100, 2)]), NOW)).toBe('DONE');
    expect(
      boardColumn(order([lot('DELIVERED', 100, 1), lot('SETTLED', 60, 2), lot('DELIVERED', 40, 2)]), NOW),
    ).toBe('DELIVERED');
  });

  it('is a problem when its due shift is over undelivered, or when refused units are carried by nobody', () => {
    expect(boardColumn(order([lot('ACCEPTED', 100, 1, 2)], { dueBucket: '2026-11-25T00:00:00Z' }), NOW)).toBe(
      'PROBLEM',
    );
    expect(boardColumn(order([lot('REJECTED', 100, 1, 2)]), NOW)).toBe('PROBLEM');
    // Refused, then placed elsewhere: no longer a problem.
    expect(boardColumn(order([lot('REJECTED', 100, 1, 2), lot('ASSIGNED', 100, 1, 2)]), NOW)).toBe(
      'TO_ACCEPT',
    );
    // Delivered late is delivered.
    expect(
      boardColumn(order([lot('DELIVERED', 100, 1, 2)], { dueBucket: '2026-11-25T00:00:00Z' }), NOW),
    ).toBe('DELIVERED');
  });

  it('shows no order that is no longer open', () => {
    expect(boardColumn(order([], { status: 'CANCELLED' }), NOW)).toBeUndefined();
  });

  it('tells how pressing an order is', () => {
    const at = (dueBucket: string, priority = 'NORMAL') =>
      urgencyOf({ ...order([], { dueBucket }), priority }, NOW);
    expect(at('2026-11-25T00:00:00Z')).toBe('LATE');
    expect(at('2026-11-25T08:00:00Z')).toBe('SOON');
    expect(at('2026-11-27T08:00:00Z', 'RUSH')).toBe('RUSH');
    expect(at('2026-11-27T08:00:00Z')).toBe('NONE');
  });

  it('calls no delivered order late or due soon', () => {
    const delivered = order([lot('DELIVERED', 100, 1, 2)], { dueBucket: '2026-11-25T00:00:00Z' });
    expect(boardColumn(delivered, NOW)).toBe('DELIVERED');
    expect(urgencyOf({ ...delivered, priority: 'RUSH' }, NOW)).toBe('NONE');
    expect(
      urgencyOf(
        { ...order([lot('DONE', 100, 1, 2)], { dueBucket: '2026-11-25T00:00:00Z' }), priority: 'NORMAL' },
        NOW,
      ),
    ).toBe('LATE');
  });
});
