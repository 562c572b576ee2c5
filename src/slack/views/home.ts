import type { HomeView, KnownBlock } from '@slack/types';
import type { Row } from '../../functions/types.ts';
import { ACTION, ticketValue } from '../ids.ts';
import { actions, button, context, section } from './blocks.ts';
import { escapeText } from './mrkdwn.ts';
import { staffOffers } from './offers.ts';
import { queueLine } from './queue.ts';

const SECTION_LIMIT = 10;

/**
 * App Home for staff: their own queue in four parts. A ticket may appear in several parts
 * (locked by me and overdue); that is the point: each part answers a different question.
 */
export function staffHome(name: string, userId: number, rows: Row[], now: Date, tz?: string): HomeView {
  const parts: [string, Row[]][] = [
    ['Locked by me', rows.filter((r) => r.locked_by_id === userId)],
    ['Assigned to me', rows.filter((r) => r.responsible_id === userId)],
    ['Favorites', rows.filter((r) => r.favorite)],
    ['Overdue', rows.filter((r) => r.deadline instanceof Date && r.deadline < now)],
  ];
  const blocks: KnownBlock[] = [
    section(`*Hello ${escapeText(name)}.* Your tickets:`),
    actions('home:top', [button('Refresh', ACTION.homeRefresh, 'refresh')]),
  ];
  for (const [title, list] of parts) {
    blocks.push({ type: 'divider' }, section(`*${title}* (${list.length})`));
    for (const r of list.slice(0, SECTION_LIMIT)) {
      const value = ticketValue(Number(r.id));
      // Reply only where it can work: not on an archived ticket or one someone else is answering.
      const offers = staffOffers(r, userId);
      blocks.push(
        section(queueLine(r, tz), button('Open', ACTION.open, value)),
        actions(`home:${title}:${r.id}`, [
          ...(offers.has(ACTION.reply) ? [button('Reply', ACTION.reply, value, { style: 'primary' })] : []),
          button('Favorite', ACTION.favorite, value),
          button('Messages', ACTION.messages, value),
        ]),
      );
    }
    if (list.length > SECTION_LIMIT)
      blocks.push(context(`and ${list.length - SECTION_LIMIT} more: \`/ticket\``));
    if (list.length === 0) blocks.push(context('None.'));
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** App Home for everyone else: how to get going. */
export function otherHome(text: string): HomeView {
  return {
    type: 'home',
    blocks: [section(text), actions('home:top', [button('Refresh', ACTION.homeRefresh, 'refresh')])],
  };
}
