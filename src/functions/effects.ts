import { z } from 'zod';
import type { Ticket } from '../../db/schema.ts';
import { enqueue, enqueueOnce } from '../jobs/queue.ts';
import type { RunContext } from './types.ts';

const id = z.number().int().positive();
/** `slack.card`: a ticket's card is posted, updated or moved; `existingOnly`: never a new one. */
export const cardPayload = z.object({ ticketId: id, existingOnly: z.boolean().optional() });
/** `slack.message`: a message is copied into its card's thread, or its copy (`ts`, when known) updated. */
export const messagePayload = z.object({
  ticketId: id,
  messageId: id,
  edited: z.boolean().optional(),
  ts: z.string().optional(),
  dated: z.boolean().optional(),
});
/** `slack.reply`: a staff reply is delivered to the client where they are in Slack. */
export const replyPayload = z.object({ ticketId: id, messageId: id });

/**
 * What a ticket change sets in motion, in the same transaction as the change itself, so a rolled-back
 * change leaves no work behind and committed work is never lost. The card refresh is enqueued at the
 * ticket's first change in the call (one pending refresh per ticket); SLA warnings, on-call paging and
 * digests are planned once at the end of the call from every change recorded here (planners/plan.ts).
 * The Slack door carries the jobs out.
 */
export async function ticketChanged(ctx: RunContext, before: Ticket, after: Ticket): Promise<void> {
  if (!ctx.changes.ticket(before, after)) return;
  await enqueue(
    ctx.tx,
    { kind: 'slack.card', dedupeKey: `card:${after.id}`, runAt: ctx.now, payload: { ticketId: after.id } },
    ctx.now,
  );
}

/**
 * An imported ticket changed department: its card, if it has one, follows it. A ticket without a
 * card gets none (an imported history posts nothing); a pending refresh keeps its own payload.
 */
export async function importedTicketMoved(ctx: RunContext, ticketId: number): Promise<void> {
  await enqueueOnce(
    ctx.tx,
    {
      kind: 'slack.card',
      dedupeKey: `card:${ticketId}`,
      runAt: ctx.now,
      payload: { ticketId, existingOnly: true },
    },
    ctx.now,
  );
}

/**
 * A new message is mirrored into the card's thread; an edited or hidden one has its copy updated there.
 * A staff reply to the client is also delivered to the client where they are in Slack.
 */
export async function messageAdded(
  ctx: RunContext,
  ticketId: number,
  messageId: number,
  toClient: boolean,
): Promise<void> {
  await mirror(ctx, ticketId, messageId, false);
  if (!toClient) return;
  await enqueue(
    ctx.tx,
    {
      kind: 'slack.reply',
      dedupeKey: `reply:${messageId}`,
      runAt: ctx.now,
      payload: { ticketId, messageId },
    },
    ctx.now,
  );
}

export async function messageChanged(ctx: RunContext, ticketId: number, messageId: number): Promise<void> {
  await mirror(ctx, ticketId, messageId, true);
}

async function mirror(ctx: RunContext, ticketId: number, messageId: number, edited: boolean): Promise<void> {
  await enqueue(
    ctx.tx,
    {
      kind: 'slack.message',
      dedupeKey: `message:${messageId}`,
      runAt: ctx.now,
      payload: edited ? { ticketId, messageId, edited } : { ticketId, messageId },
    },
    ctx.now,
  );
}
