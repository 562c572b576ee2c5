import { invalid } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import { findClients } from '../../functions/slack-setup/slack-accounts.ts';
import { latestTicketOf } from '../../slack-store/cards.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { audienceOf, tell } from '../tell.ts';
import { TICKET_USAGE } from '../views/help.ts';
import { clientView } from './card-buttons.ts';
import { filterForm, newTicketForm } from './forms.ts';
import { type CommandArgs, guarded, modalAfterLoading } from './interaction.ts';
import { provisionCommand } from './provision-command.ts';
import { openedTicket, queueMessage } from './queue.ts';
import { scheduleCommand, settingsForm } from './schedule.ts';
import { staffCommand } from './staff-admin.ts';

/** `/ticket …`: staff's door. Modals open before anything else; everything else checks staff first. */
export function ticketCommand(env: SlackDeps) {
  return async (args: CommandArgs) => {
    await args.ack();
    const [word = '', ...rest] = args.command.text.trim().split(/\s+/);
    const arg = rest.join(' ');
    const sub = word.toLowerCase();
    if (sub === 'new' && !arg)
      return guarded(args, () =>
        modalAfterLoading(args, 'New ticket', () => newTicketForm(env, args.body.user_id)),
      );
    if (sub === 'filter' && !arg)
      return guarded(args, () =>
        modalAfterLoading(args, 'Queue filter', () => filterForm(env, args.body.user_id)),
      );
    if (sub === 'settings')
      return guarded(args, () =>
        modalAfterLoading(args, 'Department settings', () => settingsForm(env, args, arg)),
      );
    const show = async (message: { text: string; blocks?: unknown[] }) =>
      args.respond({ response_type: 'ephemeral', ...(message as { text: string }) });
    await guarded(args, async () => {
      if (sub === 'help') return void (await show({ text: TICKET_USAGE }));
      const { session, account } = await staffActor(env, args.body.user_id);
      if (sub === '') return void (await show(await queueMessage(env, session, 1, false)));
      if (/^#?\d+$/.test(sub) && !arg)
        return void (await show(await openedTicket(env, session, Number(sub.replace('#', '')))));
      if (sub === 'favorites' && !arg) return void (await show(await queueMessage(env, session, 1, true)));
      if (sub === 'filter' && arg.toLowerCase() === 'reset') {
        await call(env.deps, session, 'ticket.filter', { reset: 'on' });
        return void (await show(await queueMessage(env, session, 1, false)));
      }
      if (sub === 'client' && arg) {
        const found = await findClients(env.deps.db, arg);
        if (found.length === 0) throw invalid('client', `No client matches "${arg}"`);
        await call(env.deps, session, 'ticket.setfilter', { elid: found.map((c) => c.id).join(',') });
        return void (await show(await queueMessage(env, session, 1, false)));
      }
      if (sub === 'su' && arg) {
        const [client, ...more] = await findClients(env.deps.db, arg);
        if (!client || more.length > 0)
          throw invalid(
            'client',
            `Name one client: ${more.length ? 'several match' : 'none matches'} "${arg}"`,
          );
        const ticketId = await latestTicketOf(env.deps.db, client.id);
        if (!ticketId)
          throw invalid('client', `${client.name} has no tickets yet; su works through a ticket of theirs`);
        const view = await clientView(env, session, String(ticketId));
        return void (await show({ text: `What ${client.name} sees`, blocks: view.blocks }));
      }
      if (await staffCommand(env, args, { account, session }, sub, arg)) return;
      if (await provisionCommand(env, args, { account, session }, sub, arg)) return;
      if (await scheduleCommand(env, args, { account, session }, sub, arg)) return;
      await tell(
        audienceOf(args),
        `I did not understand \`/ticket ${args.command.text.trim()}\`.\n${TICKET_USAGE}`,
      );
    });
  };
}
