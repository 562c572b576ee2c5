import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { clients, departments } from '../../../db/schema.ts';
import { enqueue } from '../../jobs/queue.ts';
import { invalid, missed } from '../errors.ts';
import { posInt } from '../params.ts';
import { ROOT } from '../provisioning/common.ts';
import { defineFunction } from '../types.ts';
import { slackChannel } from './slack-ids.ts';

/**
 * `/ticket channel DEPARTMENT_ID`: the channel a department's cards and digests go to. A channel
 * bound to a client is refused: its people would read staff cards, notes and digests. Whether the
 * channel is shared with another organisation only Slack knows: the Slack door asks before the call.
 */
/**
 * A channel bound to a client is never a department's. The Slack door asks it first too, so that the
 * refusal names the binding rather than the client's people it would find among the members.
 */
export async function refuseClientChannel(db: Db, channel: string): Promise<void> {
  const [client] = await db
    .select({ name: clients.name })
    .from(clients)
    .where(eq(clients.slackChannel, channel));
  if (client)
    throw invalid(
      'channel',
      `This channel belongs to client ${client.name}: department cards cannot go here`,
    );
}

export const slackChannelSet = defineFunction({
  name: 'slack.channel',
  access: ROOT,
  params: z.object({ elid: posInt, channel: slackChannel }),
  async run(ctx, { elid, channel }) {
    await refuseClientChannel(ctx.tx, channel);
    const [row] = await ctx.tx
      .update(departments)
      .set({ slackChannel: channel })
      .where(eq(departments.id, elid))
      .returning({ id: departments.id, name: departments.name });
    if (!row) throw missed('elid', `Department ${elid} does not exist`, String(elid));
    // The Slack door moves or posts the department's open tickets' cards there, paced.
    await enqueue(ctx.tx, repostJob(elid, channel, ctx.now), ctx.now);
    return { kind: 'ok', id: row.id, name: row.name, tickets: [] };
  },
});

const count = z.number().int().nonnegative();
/** `slack.repost`: the next batch after ticket `afterId`; `done` once the last batch is through. */
export const repostPayload = z.object({
  departmentId: z.number().int().positive(),
  channel: z.string(),
  afterId: count,
  posted: count,
  batch: z.number().int().positive().optional(),
  done: z.boolean().optional(),
});

/**
 * The job that moves or posts a department's open tickets' cards into its new channel, `batch` a
 * minute (the Slack door's pace unless given: the sandbox, without rate limits, posts them at once).
 */
export function repostJob(departmentId: number, channel: string, now: Date, batch?: number) {
  return {
    kind: 'slack.repost',
    dedupeKey: `repost:${departmentId}`,
    runAt: now,
    payload: { departmentId, channel, afterId: 0, posted: 0, ...(batch ? { batch } : {}) },
  };
}
