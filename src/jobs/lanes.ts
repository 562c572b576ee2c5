import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/**
 * A job's lane: the jobs of one lane run one at a time, the others side by side (worker.ts).
 *
 * The lane is the ticket the job is about (`payload.ticketId`), else its department
 * (`payload.departmentId`), else none. One ticket's jobs assume order and must not overlap: a card
 * job and a thread-mirror job of a ticket without a card would both post a card; two mirrors, SLA
 * warnings or on-call pages of a ticket would land in its thread in either order; on-call steps
 * post in order. A department's digest post and its in-place refresh must not overlap either.
 * Jobs of different tickets in one channel may: their order there means nothing, and Slack's
 * per-channel limit answers 429, which retries the job at Slack's Retry-After.
 *
 * Read from the payload every such kind already carries, so enqueueing needs no change. The rule
 * is kept in the claim (queue.ts): a job is not taken while another of its lane runs under a live
 * lease, whichever replica holds it, and one claim takes at most one job of a lane.
 */
export function laneOf(table: { payload: SQLWrapper }): SQL<string | null> {
  return sql<
    string | null
  >`coalesce('ticket:' || (${table.payload} ->> 'ticketId'), 'department:' || (${table.payload} ->> 'departmentId'))`;
}
