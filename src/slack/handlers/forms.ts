import { TicketError } from '../../functions/errors.ts';
import { clientChoices, filterNames } from '../../functions/filter-names.ts';
import { call } from '../../functions/registry.ts';
import { staffList } from '../../functions/slack-setup/slack-accounts.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { option } from '../views/blocks.ts';
import { ANY, FILTER_FLAGS, filterModal, newTicketModal } from '../views/forms.ts';
import { checkedValues, inputValue, type OptionsArgs, submitView, type ViewArgs } from './interaction.ts';
import { queueMessage } from './queue.ts';

/** `/ticket new`: the new-ticket form (ticket.edit without elid) with the clients to choose from. */
export async function newTicketForm(env: SlackDeps, slackUserId: string) {
  const { session } = await staffActor(env, slackUserId);
  const form = await call(env.deps, session, 'ticket.edit', {});
  return newTicketModal(form);
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

/**
 * The client search of the filter and the new-ticket modal (block_suggestion): staff only, and only the clients they may see;
 * anyone else gets no options.
 */
export function clientOptions(env: SlackDeps) {
  return async (args: OptionsArgs) => {
    let choices: { id: number; name: string }[] = [];
    try {
      const { session } = await staffActor(env, args.body.user.id);
      choices = await clientChoices(env.deps.db, session, args.body.value ?? '');
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
    }
    await args.ack({ options: choices.map((c) => option(String(c.id), `${c.name} (#${c.id})`)) });
  };
}

/** `/ticket filter`: the saved filter in a modal. */
export async function filterForm(env: SlackDeps, slackUserId: string) {
  const { session } = await staffActor(env, slackUserId);
  const saved = await call(env.deps, session, 'ticket.filter', {});
  const form = await call(env.deps, session, 'ticket.edit', {});
  const fields = Object.fromEntries(Object.entries(saved.fields).map(([k, v]) => [k, String(v ?? '')]));
  const names = await filterNames(env.deps.db, fields);
  return filterModal(
    saved,
    form.options?.client_department ?? [],
    await staffList(env.deps.db),
    names.clients,
  );
}

export function submitFilter(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(
      env,
      args,
      async () => {
        const { session } = await staffActor(env, args.body.user.id);
        const params: Record<string, string> = {};
        for (const k of ['name', 'id', 'department', 'responsible', 'tstatus', 'priority']) {
          const v = inputValue(args, k);
          if (v && v !== ANY) params[k] = v;
        }
        const chosenClients = checkedValues(args, 'client');
        if (chosenClients.length > 0) params.client = chosenClients.join(',');
        const flags = checkedValues(args, 'flags');
        for (const k of FILTER_FLAGS) if (flags.includes(k)) params[k] = 'on';
        await call(env.deps, session, 'ticket.filter', { ...params, sok: 'ok' });
        const { text } = await queueMessage(env, session, 1, false);
        return `Filter saved. ${text}. Run \`/ticket\` to see them.`;
      },
      { favorite: 'flags', unread: 'flags', highpriority: 'flags', abuse: 'flags' },
    );
}
