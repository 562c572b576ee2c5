import type { WebClient } from '@slack/web-api';
import type { Deps } from '../functions/types.ts';
import { type Card, enqueueMirrors, type MirroredMessage, messagesForMirror } from '../slack-store/cards.ts';
import { messageText } from './views/card.ts';

/**
 * Thread mirrors carry Slack message metadata naming the ticket message they show. The card's thread
 * is then its own record of what was mirrored where: an edit finds the copy to update, and a card
 * that catches up after a broken channel finds what is missing, with no table of Slack timestamps.
 */
export const MIRROR_EVENT = 'ticket_message';

export function mirrorMetadata(m: Pick<MirroredMessage, 'id' | 'ticketId'>) {
  return { event_type: MIRROR_EVENT, event_payload: { ticket_id: m.ticketId, message_id: m.id } };
}

interface ThreadReply {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: { message_id?: unknown } };
}

/** Pages through a card's thread: the bot's mirrors by message id, and what people typed there. */
export async function readThread(web: WebClient, card: Pick<Card, 'channel' | 'ts'>) {
  const mirrors = new Map<number, { ts: string; text: string }>();
  const typed: { user: string; text: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await web.conversations.replies({
      channel: card.channel,
      ts: card.ts,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const r of (page.messages ?? []) as ThreadReply[]) {
      if (!r.ts || r.ts === card.ts) continue;
      const id = Number(r.metadata?.event_payload?.message_id);
      if (r.metadata?.event_type === MIRROR_EVENT && Number.isSafeInteger(id))
        mirrors.set(id, { ts: r.ts, text: r.text ?? '' });
      else if (r.user && !r.bot_id) typed.push({ user: r.user, text: r.text ?? '' });
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return { mirrors, typed };
}

/**
 * Brings a card's thread up to date with the ticket's messages: those missing are queued for posting,
 * those whose text changed (edited, hidden) for an update in place. Notes a staff member typed in the
 * thread itself are there already, as their own Slack message. `fresh`: a card just posted, whose
 * thread is empty.
 */
export async function catchUpThread(
  web: WebClient,
  deps: Deps,
  ticketId: number,
  card: Pick<Card, 'channel' | 'ts'>,
  fresh: boolean,
): Promise<void> {
  const { mirrors, typed } = fresh ? { mirrors: new Map(), typed: [] } : await readThread(web, card);
  const items: { messageId: number; edited?: boolean; ts?: string }[] = [];
  for (const m of await messagesForMirror(deps.db, ticketId)) {
    const mirror = mirrors.get(m.id);
    if (mirror) {
      if (mirror.text !== messageText(m)) items.push({ messageId: m.id, edited: true, ts: mirror.ts });
    } else if (!(m.internal && typed.some((t) => t.user === m.authorSlackId && t.text.trim() === m.body))) {
      items.push({ messageId: m.id });
    }
  }
  await enqueueMirrors(deps, ticketId, items);
}
