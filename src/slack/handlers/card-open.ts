import type { ModalView } from '@slack/types';
import { missed } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import { accountBySlackId, staffList } from '../../functions/slack-setup/slack-accounts.ts';
import { ticketCard } from '../../functions/ticket-card.ts';
import type { Row } from '../../functions/types.ts';
import type { SlackDeps } from '../directory.ts';
import { clientActor, staffActor } from '../identity.ts';
import { type ModalMeta, parseTicketValue } from '../ids.ts';
import { clientReplyModal } from '../views/client.ts';
import {
  abuseModal,
  assignModal,
  chargeModal,
  deadlineModal,
  priorityModal,
  replyModal,
} from '../views/ticket-modals.ts';
import { type ActionArgs, actionValue, guarded, modalAfterLoading } from './interaction.ts';

function metaOf(args: ActionArgs): ModalMeta {
  return { channel: args.body.channel?.id };
}

/**
 * Reply: staff get the staff Reply modal. A client pressing it in their direct message (a card's
 * Reply reached them there) gets the client's own reply modal; anyone else is refused at once,
 * privately, instead of being refused only after writing. Both checks are quick lookups, well
 * within the trigger_id's 3 seconds.
 */
export function openReply(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    const ticketId = parseTicketValue(actionValue(args));
    await guarded(args, async () => {
      const user = args.body.user.id;
      const channel = args.body.channel?.id;
      const account = await accountBySlackId(env.deps.db, user);
      const inTheirDm = account?.level === 'user' && channel?.startsWith('D');
      // Either check refuses (a TicketError, told privately) before any modal opens.
      if (inTheirDm) await clientActor(env, user, channel);
      else await staffActor(env, user);
      const view = inTheirDm ? clientReplyModal(ticketId, channel) : replyModal(ticketId, metaOf(args));
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    });
  };
}

/**
 * The buttons whose modal shows the ticket as it is: open a loading modal, check the clicker is
 * staff, read the ticket's card row (no lock taken), then show the modal.
 */
function openWithTicket(
  env: SlackDeps,
  title: string,
  build: (
    row: Row,
    meta: ModalMeta,
    actor: Awaited<ReturnType<typeof staffActor>>,
  ) => Promise<ModalView> | ModalView,
) {
  return async (args: ActionArgs) => {
    await args.ack();
    const ticketId = parseTicketValue(actionValue(args));
    await guarded(args, () =>
      modalAfterLoading(args, title, async () => {
        const actor = await staffActor(env, args.body.user.id);
        const found = await ticketCard(env.deps, ticketId);
        if (!found) throw missed('elid', `Ticket ${ticketId} does not exist`);
        return build(found.row, metaOf(args), actor);
      }),
    );
  };
}

export const openPriority = (env: SlackDeps) =>
  openWithTicket(env, 'Priority', (row, meta) => priorityModal(row, meta));
export const openAbuse = (env: SlackDeps) =>
  openWithTicket(env, 'Abuse', (row, meta) => abuseModal(row, meta));
export const openCharge = (env: SlackDeps) =>
  openWithTicket(env, 'Charge', (row, meta) => chargeModal(row, meta));
export const openDeadline = (env: SlackDeps) =>
  openWithTicket(env, 'Deadline', (row, meta, actor) => deadlineModal(row, meta, actor.account.timezone));

export const openAssign = (env: SlackDeps) =>
  openWithTicket(env, 'Assign', async (row, meta, actor) => {
    const form = await call(env.deps, actor.session, 'ticket.edit', {});
    const departments = form.options?.client_department ?? [];
    return assignModal(row, departments, await staffList(env.deps.db), meta);
  });
