import type { ModalView } from '@slack/types';
import { invalid } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import { findClients } from '../../functions/slack-setup/slack-accounts.ts';
import { latestTicketOf } from '../../slack-store/cards.ts';
import type { SlackDeps } from '../directory.ts';
import { type Actor, staffActor } from '../identity.ts';
import { audienceOf, tell } from '../tell.ts';
import { type SubcommandHelp, usageText } from '../views/help.ts';
import { clientView } from './card-buttons.ts';
import { filterForm, newTicketForm } from './forms.ts';
import { type CommandArgs, guarded, modalAfterLoading } from './interaction.ts';
import { provisionCommand } from './provision-command.ts';
import { openedTicket, queueMessage } from './queue.ts';
import { scheduleCommand, settingsForm } from './schedule.ts';
import { staffCommand } from './staff-admin.ts';

type Message = { text: string; blocks?: unknown[] };

/** What a subcommand gets: the caller (checked to be staff), its words, and a way to answer. */
interface Call {
  env: SlackDeps;
  args: CommandArgs;
  actor: Actor;
  /** The first word as typed (a ticket number keeps its digits). */
  sub: string;
  /** Everything after the first word. */
  arg: string;
  show(message: Message): Promise<void>;
}

/**
 * One `/ticket` subcommand. `modal` ones open a loading modal at once (Slack's trigger expires in
 * three seconds) and build it after; the others run after the staff check. `run` answers false when
 * the words after the subcommand are not what it takes.
 */
export interface Subcommand extends SubcommandHelp {
  /** The first word that selects it; '' is the bare command, '#' a ticket number. */
  name: string;
  modal?: {
    title: string;
    when?(arg: string): boolean;
    build(env: SlackDeps, args: CommandArgs, arg: string): Promise<ModalView>;
  };
  run?(c: Call): Promise<boolean>;
}

const queue = async (c: Call, favorites = false) => {
  await c.show(await queueMessage(c.env, c.actor.session, 1, favorites));
  return true;
};
const staffAdmin = (c: Call) => staffCommand(c.env, c.args, c.actor, c.sub, c.arg);
const provision = (c: Call) => provisionCommand(c.env, c.args, c.actor, c.sub, c.arg);

/** Every `/ticket` subcommand, in the order the help lists them. */
export const TICKET_SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: '',
    usage: '',
    does: 'the support queue (your saved filter applies)',
    who: 'staff',
    run: (c) => queue(c),
  },
  {
    name: '#',
    usage: '123',
    does: 'open ticket 123 (takes the lock while you answer)',
    who: 'staff',
    run: async (c) => {
      if (c.arg) return false;
      await c.show(await openedTicket(c.env, c.actor.session, Number(c.sub.replace('#', ''))));
      return true;
    },
  },
  {
    name: 'new',
    usage: 'new',
    does: 'open a ticket for a client',
    who: 'staff',
    modal: {
      title: 'New ticket',
      when: (arg) => !arg,
      build: (env, args) => newTicketForm(env, args.body.user_id),
    },
  },
  {
    name: 'filter',
    usage: 'filter',
    does: 'set the queue filter · `/ticket filter reset` — clear it',
    who: 'staff',
    modal: {
      title: 'Queue filter',
      when: (arg) => !arg,
      build: (env, args) => filterForm(env, args.body.user_id),
    },
    run: async (c) => {
      if (c.arg.toLowerCase() !== 'reset') return false;
      await call(c.env.deps, c.actor.session, 'ticket.filter', { reset: 'on' });
      return queue(c);
    },
  },
  {
    name: 'client',
    usage: 'client NAME|ID',
    does: "show one client's tickets",
    who: 'staff',
    run: async (c) => {
      if (!c.arg) return false;
      const found = await findClients(c.env.deps.db, c.arg);
      if (found.length === 0) throw invalid('client', `No client matches "${c.arg}"`);
      await call(c.env.deps, c.actor.session, 'ticket.setfilter', { elid: found.map((f) => f.id).join(',') });
      return queue(c);
    },
  },
  {
    name: 'favorites',
    usage: 'favorites',
    does: 'your favorite tickets',
    who: 'staff',
    run: async (c) => !c.arg && queue(c, true),
  },
  {
    name: 'su',
    usage: 'su CLIENT',
    does: 'see what a client sees',
    who: 'staff',
    run: async (c) => {
      if (!c.arg) return false;
      const [client, ...more] = await findClients(c.env.deps.db, c.arg);
      if (!client || more.length > 0)
        throw invalid(
          'client',
          `Name one client: ${more.length ? 'several match' : 'none matches'} "${c.arg}"`,
        );
      const ticketId = await latestTicketOf(c.env.deps.db, client.id);
      if (!ticketId)
        throw invalid('client', `${client.name} has no tickets yet; su works through a ticket of theirs`);
      const view = await clientView(c.env, c.actor.session, String(ticketId));
      await c.show({ text: `What ${client.name} sees`, blocks: view.blocks });
      return true;
    },
  },
  {
    name: 'link',
    usage: 'link LOGIN',
    does: "a one-time code linking a client user's Slack account",
    who: 'staff',
    run: staffAdmin,
  },
  {
    name: 'bind',
    usage: 'bind CLIENT [TEAM_ID]',
    does: "bind this (Slack Connect) channel to a client account (TEAM_ID: the client's Slack team when several share it)",
    who: 'root',
    run: staffAdmin,
  },
  {
    name: 'unbind',
    usage: 'unbind',
    does: 'undo `/ticket bind` in this channel',
    who: 'root',
    run: staffAdmin,
  },
  {
    name: 'oncall',
    usage: 'oncall [DEPARTMENT_ID]',
    does: "who is on call now and next (this channel's department by default)",
    who: 'staff',
    run: (c) => scheduleCommand(c.env, c.args, c.actor, c.sub, c.arg),
  },
  {
    name: 'digest',
    usage: 'digest [DEPARTMENT_ID]',
    does: "post the department's queue digest to this channel now",
    who: 'staff',
    run: (c) => scheduleCommand(c.env, c.args, c.actor, c.sub, c.arg),
  },
  {
    name: 'staff',
    usage: 'staff add @user admin|root',
    does: 'make someone staff · `/ticket staff remove @user` · `/ticket staff works @user 1,2` (the departments an admin sees)',
    who: 'root',
    run: async (c) => (await staffAdmin(c)) || provision(c),
  },
  {
    name: 'department',
    usage: 'department add [PROVIDER_ID:] NAME',
    does: 'add a department',
    who: 'root',
    run: provision,
  },
  {
    name: 'user',
    usage: 'user link @user LOGIN',
    does: "link a client user's Slack account",
    who: 'root',
    run: provision,
  },
  {
    name: 'channel',
    usage: 'channel DEPARTMENT_ID',
    does: 'cards of the department go to this channel',
    who: 'root',
    run: staffAdmin,
  },
  {
    name: 'settings',
    usage: 'settings [DEPARTMENT_ID]',
    does: 'SLA, calendar, on-call, digest',
    who: 'root',
    modal: { title: 'Department settings', build: (env, args, arg) => settingsForm(env, args, arg) },
  },
  { name: 'help', usage: 'help', does: 'this list', who: 'staff' },
];

export const TICKET_USAGE = usageText('/ticket', TICKET_SUBCOMMANDS, [
  'Channels shared with another organisation get no cards or digests; a root can insist by ending `channel`/`digest` with `allow-external`',
]);

/** The subcommand a first word selects: a ticket number, or a name of the table. */
export function subcommandOf(word: string): Subcommand | undefined {
  const name = /^#?\d+$/.test(word) ? '#' : word.toLowerCase();
  return TICKET_SUBCOMMANDS.find((s) => s.name === name);
}

/** `/ticket …`: staff's door, routed by TICKET_SUBCOMMANDS. Unknown words get the help. */
export function ticketCommand(env: SlackDeps) {
  return async (args: CommandArgs) => {
    await args.ack();
    const [sub = '', ...rest] = args.command.text.trim().split(/\s+/);
    const arg = rest.join(' ');
    const subcommand = subcommandOf(sub);
    const modal = subcommand?.modal;
    if (modal && (modal.when?.(arg) ?? true))
      return guarded(args, () => modalAfterLoading(args, modal.title, () => modal.build(env, args, arg)));
    const show = async (message: Message) => {
      await args.respond({ response_type: 'ephemeral', ...(message as { text: string }) });
    };
    await guarded(args, async () => {
      if (!subcommand) {
        const words = args.command.text.trim();
        const said = `I did not understand \`/ticket ${words}\`: there is no subcommand \`${sub}\`.`;
        return void (await tell(audienceOf(args), `${said}\n${TICKET_USAGE}`));
      }
      if (subcommand.name === 'help') return void (await show({ text: TICKET_USAGE }));
      const actor = await staffActor(env, args.body.user_id);
      if (await subcommand.run?.({ env, args, actor, sub, arg, show })) return;
      await tell(
        audienceOf(args),
        `I did not understand \`/ticket ${args.command.text.trim()}\`.\n${TICKET_USAGE}`,
      );
    });
  };
}
