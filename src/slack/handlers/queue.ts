import { missed } from '../../functions/errors.ts';
import { filterNames } from '../../functions/filter-names.ts';
import { call } from '../../functions/registry.ts';
import { accountById } from '../../functions/slack-setup/slack-accounts.ts';
import { ticketCard } from '../../functions/ticket-card.ts';
import type { Session } from '../../functions/types.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { parsePageValue, parseTicketValue } from '../ids.ts';
import { openedTicketBlocks } from '../views/card.ts';
import { counted } from '../views/labels.ts';
import { keepOffered, STAFF_TICKET_ACTIONS, staffOffers } from '../views/offers.ts';
import { describeFilter, queueBlocks } from '../views/queue.ts';
import { type ActionArgs, actionValue, guarded } from './interaction.ts';

const PAGE_SIZE = 10;

/** A page of the staff queue (the saved filter applies), or of the caller's favorites. */
export async function queueMessage(env: SlackDeps, session: Session, page: number, favorites: boolean) {
  // Independent reads, side by side: the page, the saved filter with its names, the reader's zone.
  const [list, filter, account] = await Promise.all([
    call(env.deps, session, 'ticket', {
      p_num: String(page),
      p_cnt: String(PAGE_SIZE),
      ...(favorites ? { filter: 'on', favorite: 'on' } : {}),
    }),
    call(env.deps, session, 'ticket.filter', {}).then(async ({ fields }) => {
      const saved = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
      return describeFilter(saved, await filterNames(env.deps.db, saved));
    }),
    accountById(env.deps.db, session.userId),
  ]);
  return {
    text: `Ticket queue: ${counted(list.page.elems, 'ticket')}`,
    blocks: queueBlocks(list, filter, favorites, account?.timezone),
  };
}

/** Opening a ticket is ticket.edit without sok: it marks it read and takes the lock, as in BILLmanager. */
export async function openedTicket(env: SlackDeps, session: Session, ticketId: number) {
  const form = await call(env.deps, session, 'ticket.edit', { elid: String(ticketId) });
  const card = await ticketCard(env.deps, ticketId);
  if (!card) throw missed('elid', `Ticket ${ticketId} does not exist`);
  return {
    text: `Ticket #${ticketId}`,
    // Only the buttons that work for this staff member (Reply not while a colleague holds the lock).
    blocks: keepOffered(
      openedTicketBlocks(card.row, form.messages ?? [], env.deps.now()),
      staffOffers(card.row, session.userId),
      STAFF_TICKET_ACTIONS,
    ),
  };
}

/** Open button of a queue line or App Home: the ticket, privately, to the clicker. */
export function openFromQueue(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const opened = await openedTicket(env, session, parseTicketValue(actionValue(args)));
      if (args.body.response_url) {
        await args.respond({ response_type: 'ephemeral', replace_original: false, ...opened });
      } else {
        await args.client.chat.postMessage({ channel: args.body.user.id, ...opened });
      }
    });
  };
}

/** Previous/Next: the same ephemeral message shows the other page. */
export function pageQueue(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const { page, favorites } = parsePageValue(actionValue(args));
      await args.respond({ replace_original: true, ...(await queueMessage(env, session, page, favorites)) });
    });
  };
}
