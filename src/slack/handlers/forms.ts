import { call } from '../../functions/registry.ts';
import { findClients, staffList } from '../../functions/slack-setup/slack-accounts.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { ANY, FILTER_FLAGS, filterModal, newTicketModal } from '../views/forms.ts';
import { checkedValues, inputValue, submitView, type ViewArgs } from './interaction.ts';
import { queueMessage } from './queue.ts';

/** `/ticket new`: the new-ticket form (ticket.edit without elid) with the clients to choose from. */
export async function newTicketForm(env: SlackDeps, slackUserId: string) {
  const { session } = await staffActor(env, slackUserId);
  const form = await call(env.deps, session, 'ticket.edit', {});
  return newTicketModal(form, await findClients(env.deps.db, '', 100));
}

export function submitNewTicket(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const params = Object.fromEntries(
        ['client', 'client_department', 'name', 'message', 'priority'].map((k) => [k, inputValue(args, k)]),
      );
      const made = await call(env.deps, session, 'ticket.edit', { ...params, sok: 'ok' });
      return made.id ? `Ticket #${made.id} opened.` : undefined;
    });
}

/** `/ticket filter`: the saved filter in a modal. */
export async function filterForm(env: SlackDeps, slackUserId: string) {
  const { session } = await staffActor(env, slackUserId);
  const saved = await call(env.deps, session, 'ticket.filter', {});
  const form = await call(env.deps, session, 'ticket.edit', {});
  return filterModal(saved, form.options?.client_department ?? [], await staffList(env.deps.db));
}

export function submitFilter(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(
      env,
      args,
      async () => {
        const { session } = await staffActor(env, args.body.user.id);
        const params: Record<string, string> = {};
        for (const k of ['name', 'client', 'id', 'department', 'responsible', 'tstatus', 'priority']) {
          const v = inputValue(args, k);
          if (v && v !== ANY) params[k] = v;
        }
        const flags = checkedValues(args, 'flags');
        for (const k of FILTER_FLAGS) if (flags.includes(k)) params[k] = 'on';
        await call(env.deps, session, 'ticket.filter', { ...params, sok: 'ok' });
        const { text } = await queueMessage(env, session, 1, false);
        return `Filter saved. ${text}. Run \`/ticket\` to see them.`;
      },
      { favorite: 'flags', unread: 'flags', highpriority: 'flags', abuse: 'flags' },
    );
}
