import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/**
 * A job's lane: one worker runs the jobs of a lane one at a time, in planned order, and the others
 * side by side (worker.ts).
 *
 * The lane is the ticket the job is about (`payload.ticketId`), else its department
 * (`payload.departmentId`), else none. One ticket's jobs assume order and must not overlap: a card
 * job and a thread-mirror job of a ticket without a card would both post a card; two mirrors, SLA
 * warnings or on-call pages of a ticket would land in its thread in either order; on-call steps
 * post in order. A department's digest post and its in-place refresh must not overlap either.
 * Jobs of different tickets in one channel may: their order there means nothing, and Slack's
 * per-channel limit answers 429, which retries the job at Slack's Retry-After.
 *
 * Read from the payload every such kind already carries, so enqueueing needs no change. Each worker
 * keeps its own lanes, and a claim takes a lane's other due jobs along (queue.ts), so another
 * replica cannot take them meanwhile; one falling due while a replica runs the lane can still be
 * taken by another, as before lanes, and the handlers' own guards (claims before posting, a retry
 * reading its post back, NotYet between on-call steps) cover that.
 */
export function laneOf(table: { payload: SQLWrapper }): SQL<string | null> {
  return sql<
    string | null
  >`coalesce('ticket:' || (${table.payload} ->> 'ticketId'), 'department:' || (${table.payload} ->> 'departmentId'))`;
}
