import { createHash } from 'node:crypto';
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { TicketError } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import { refreshCardsIn, ticketByCard } from '../../slack-store/cards.ts';
import { isHeld } from '../../slack-store/channel-holds.ts';
import { claimOnce, releaseClaim } from '../../slack-store/dedupe.ts';
import { departmentChannelShared, memberJoinedDepartmentChannel } from '../department-channel.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { errorText } from '../reply-error.ts';
import { tell } from '../tell.ts';

/** The key under which a note typed in a card's thread is known, so its mirror is not posted back. */
export function threadNoteKey(ticketId: number, body: string): string {
  return `thread-note:${ticketId}:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * A staff member's message in a card's thread becomes an internal note, never a message to the
 * client (that takes the Reply modal), and the author is told so. Anyone else's message there is
 * left alone, and they are told it reached nobody.
 */
export function threadReply(env: SlackDeps) {
  return async (args: MessageArgs) => {
    const m = args.event as {
      subtype?: string;
      bot_id?: string;
      thread_ts?: string;
      ts: string;
      channel: string;
      user?: string;
      text?: string;
    };
    if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.user || !m.text?.trim()) return;
    const ticketId = await ticketByCard(env.deps.db, m.channel, m.thread_ts);
    if (!ticketId) return;
    const audience = { client: args.client, user: m.user, channel: m.channel };
    let session: Awaited<ReturnType<typeof staffActor>>['session'];
    try {
      ({ session } = await staffActor(env, m.user));
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      // Not staff: their words stay in Slack only, and they should know.
      await tell(
        audience,
        `Only staff write in ticket threads; your message was not added to #${ticketId}. Clients write with \`/support ${ticketId}\`.`,
      );
      return;
    }
    const body = m.text.trim();
    const key = threadNoteKey(ticketId, body);
    await claimOnce(env.deps.db, key, env.deps.now(), 0);
    try {
      await call(env.deps, session, 'ticket.edit', { elid: String(ticketId), note_message: body, sok: 'ok' });
      await tell(
        audience,
        `:lock: Saved as an internal note on #${ticketId} (staff only). To answer the client, use Reply on the card.`,
      );
    } catch (error) {
      await releaseClaim(env.deps.db, key);
      if (!(error instanceof TicketError)) throw error;
      await tell(audience, `Your thread message was not saved on #${ticketId}: ${errorText(error)}`);
    }
  };
}

/**
 * The bot was invited to a channel: cards that could not be posted or updated there are refreshed
 * (unless the channel is held). Someone else joined: a department channel is checked for them.
 */
export function memberJoined(env: SlackDeps) {
  return async (args: SlackEventMiddlewareArgs<'member_joined_channel'> & AllMiddlewareArgs) => {
    const { user, channel } = args.event;
    if (user !== args.context.botUserId) {
      await memberJoinedDepartmentChannel(env, args.client, channel, user);
      return;
    }
    if (!(await isHeld(env.deps.db, channel))) await refreshCardsIn(env.deps, channel);
  };
}

/** A channel was shared with another organisation: a department channel stops receiving cards. */
export function channelShared(env: SlackDeps) {
  return async (args: SlackEventMiddlewareArgs<'channel_shared'> & AllMiddlewareArgs) => {
    await departmentChannelShared(env, args.client, args.event.channel);
  };
}
