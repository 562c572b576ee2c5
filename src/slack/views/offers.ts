import type { KnownBlock } from '@slack/types';
import { STATUS } from '../../../db/schema.ts';
import { isClosed } from '../../domain/tickets.ts';
import { queueTicketState } from '../../functions/queue-rows.ts';
import type { Row } from '../../functions/types.ts';
import { ACTION } from '../ids.ts';

/**
 * Which ticket buttons can work, for whom: the functions' own rules (ticket.edit, ticket.delete,
 * ticket.unblock…) as seen from a view, so nothing is offered that would only be refused. A test
 * (test/slack/offered-buttons.test.ts) checks every view against the functions for every viewer.
 */

const closedOrArchived = (row: Row) => isClosed(queueTicketState(row).status);
const archived = (row: Row) => queueTicketState(row).status === STATUS.archived;

/** Every staff ticket button (what keepOffered may take away from a card). */
export const STAFF_TICKET_ACTIONS: Set<string> = new Set([
  ACTION.reply,
  ACTION.priority,
  ACTION.assign,
  ACTION.deadline,
  ACTION.favorite,
  ACTION.messages,
  ACTION.charge,
  ACTION.abuse,
  ACTION.su,
  ACTION.unblock,
  ACTION.close,
  ACTION.open,
]);

/**
 * The staff buttons that work on a ticket for the staff member `viewer` (user id), or, without one,
 * for whoever reads a shared card: Reply needs the ticket not archived and not locked by someone
 * else; Close an open ticket; Unblock a lock.
 */
export function staffOffers(row: Row, viewer?: number): Set<string> {
  const lockedBy =
    row.locked_by_id === undefined || row.locked_by_id === null ? null : Number(row.locked_by_id);
  const lockedByOther = lockedBy !== null && viewer !== undefined && lockedBy !== viewer;
  const offers = new Set(STAFF_TICKET_ACTIONS);
  if (archived(row) || lockedByOther) offers.delete(ACTION.reply);
  if (!row.blocked_by) offers.delete(ACTION.unblock);
  if (closedOrArchived(row)) offers.delete(ACTION.close);
  return offers;
}

/** A message of the Messages modal: Hide where the client sees it, Split not from the first, not when archived. */
export function messageOffers(
  message: { id: number; note: boolean; hidden: boolean },
  ticket: { archived: boolean; firstMessageId: number | undefined },
): Set<string> {
  const offers: string[] = [ACTION.messageEdit];
  if (!message.note && !message.hidden) offers.push(ACTION.messageHide);
  if (message.id !== ticket.firstMessageId && !ticket.archived) offers.push(ACTION.messageSplit);
  return new Set(offers);
}

/**
 * Blocks with only the ticket buttons in `offers` (other buttons are left alone); an actions block
 * left empty goes, since Slack refuses one without elements.
 */
export function keepOffered(
  blocks: KnownBlock[],
  offers: Set<string>,
  ticketActions: Set<string>,
): KnownBlock[] {
  const kept = (e: { action_id?: string }) =>
    !e.action_id || !ticketActions.has(e.action_id) || offers.has(e.action_id);
  return blocks.flatMap((b): KnownBlock[] => {
    if (b.type === 'actions') {
      const elements = b.elements.filter(kept);
      return elements.length > 0 ? [{ ...b, elements }] : [];
    }
    if (b.type === 'section' && b.accessory && !kept(b.accessory as { action_id?: string })) {
      const { accessory: _dropped, ...rest } = b;
      return [rest];
    }
    return [b];
  });
}
