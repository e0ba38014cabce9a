import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordIdsIn } from './recordIds.js';

/** Any JSON value, records' fields and nested lists included. */
const anyValue = fc.jsonValue({ maxDepth: 3 });
/** Ids with the characters JSON has to escape, and the ones it does not. */
const anyId = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('a"b', 'c\\d', 'e\nf', '"'),
);

const anyPoolEvent = fc.record({
  type: fc.string(),
  at: fc.string(),
  extra: anyValue,
  changes: fc.array(
    fc.record({ kind: fc.string(), id: anyId, record: fc.dictionary(fc.string(), anyValue) }),
    { maxLength: 4 },
  ),
});
const anyMemberEvent = fc.record({ memberId: anyId, displayName: fc.string(), profile: anyValue });

describe('recordIdsIn', () => {
  it("finds every record a pool event writes, however its payload's JSON is spaced", () => {
    fc.assert(
      fc.property(anyPoolEvent, fc.constantFrom(undefined, 1, 2, '\t'), (event, space) => {
        const ids = recordIdsIn(JSON.stringify(event, null, space));
        for (const change of event.changes) expect(ids).toContain(change.id);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the member a member registry event writes', () => {
    fc.assert(
      fc.property(anyMemberEvent, (event) => {
        expect(recordIdsIn(JSON.stringify(event))).toContain(event.memberId);
      }),
      { numRuns: 300 },
    );
  });

  it('reads ids at any depth, and nothing but ids', () => {
    const text = JSON.stringify({
      type: 'WorkOrderPublished',
      note: 'an "id": "not-a-key" inside a value',
      changes: [
        { id: 'WO-1', kind: 'WorkOrder', record: { workOrderId: 'WO-1', routing: [{ id: 'step-1' }] } },
      ],
    });
    expect(recordIdsIn(text)).toEqual(['WO-1', 'step-1']);
    expect(recordIdsIn('{"kind":"WorkOrder","identity":"x","ids":["y"]}')).toEqual([]);
  });
});
