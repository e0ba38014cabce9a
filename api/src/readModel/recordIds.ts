/**
 * The ids of the records an event may write, read off its JSON text without parsing it: every
 * string in an `id` or `memberId` member, at any depth. A pool event lists each record it writes
 * with its id, and a member registry event is the member record itself, so this is a superset of
 * the records the event writes; the projector only needs a superset (an id too many costs a batch
 * some waiting or the upsert's conflict probe, never a wrong write).
 *
 * Why not `JSON.parse`: in a replay, building every payload (each with a whole record in it) as
 * objects only to read its ids took half of the projector's own CPU time, on cores it shares with
 * the database, which parses every payload anyway.
 *
 * In valid JSON a quote opens or closes a string, so a match can only start at a real `"id"` or
 * `"memberId"` key. Member names must be spelled without escapes, as `JSON.stringify` (which
 * writes every chaincode payload) spells them.
 */
const RECORD_ID = /"(?:id|memberId)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

export function recordIdsIn(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(RECORD_ID)) {
    const raw = match[1] ?? '';
    // An escaped id is decoded, so that it compares equal however it was escaped.
    ids.push(raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw);
  }
  return ids;
}
