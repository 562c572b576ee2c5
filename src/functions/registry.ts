import type { Tx } from '../../db/client.ts';
import { auditLog } from '../../db/schema.ts';
import { storeAttachments, strayFiles } from './attachments.ts';
import { clientticketArchive } from './clientticket.archive.ts';
import { clientticketEdit } from './clientticket.edit.ts';
import { clientticketFilter } from './clientticket.filter.ts';
import { clientticket } from './clientticket.ts';
import { departmentSchedule } from './department.schedule.ts';
import { denied, missed } from './errors.ts';
import { incident } from './incident.ts';
import { pageList } from './listing.ts';
import { oncallAck } from './oncall.ack.ts';
import { parseParams } from './params.ts';
import { Changes } from './planners/changes.ts';
import { planChanges } from './planners/plan.ts';
import { account, accountDelete, accountEdit } from './provisioning/account.ts';
import { admin, adminDelete, adminEdit } from './provisioning/admin.ts';
import { department, departmentDelete, departmentEdit } from './provisioning/department.ts';
import { project, projectDelete, projectEdit } from './provisioning/project.ts';
import { ticketImport } from './provisioning/ticket.import.ts';
import { user, userDelete, userEdit } from './provisioning/user.ts';
import { slackBind, slackUnbind } from './slack-setup/slack.bind.ts';
import { slackChannelSet } from './slack-setup/slack.channel.ts';
import { slackJoin } from './slack-setup/slack.join.ts';
import { slackLink, slackLinkcode } from './slack-setup/slack.link.ts';
import { slackStaffAdd, slackStaffRemove } from './slack-setup/slack.staff.ts';
import { ticketDelete } from './ticket.delete.ts';
import { ticketEdit } from './ticket.edit.ts';
import { ticketFavorite } from './ticket.favorite.ts';
import { ticketFilter } from './ticket.filter.ts';
import { ticketMessageDelete } from './ticket.message.delete.ts';
import { ticketMessageEdit } from './ticket.message.edit.ts';
import { ticketMessage } from './ticket.message.ts';
import { ticketSetfilter } from './ticket.setfilter.ts';
import { ticketSplit } from './ticket.split.ts';
import { ticketSu } from './ticket.su.ts';
import { ticket } from './ticket.ts';
import { ticketUnblock } from './ticket.unblock.ts';
import type { Access, CallInput, Deps, Result, ResultOf, Session, TicketFunction } from './types.ts';

const functions = [
  ticket,
  ticketEdit,
  ticketDelete,
  ticketUnblock,
  ticketFavorite,
  ticketMessage,
  ticketMessageEdit,
  ticketSplit,
  ticketMessageDelete,
  ticketSetfilter,
  ticketFilter,
  ticketSu,
  clientticket,
  clientticketFilter,
  incident,
  clientticketEdit,
  clientticketArchive,
  // Provisioning, by BILLmanager's names: providers, departments, client accounts and users, staff.
  project,
  projectEdit,
  projectDelete,
  department,
  departmentEdit,
  departmentDelete,
  account,
  accountEdit,
  accountDelete,
  user,
  userEdit,
  userDelete,
  admin,
  adminEdit,
  adminDelete,
  ticketImport,
  // Ours, beside the spec's: a department's scheduled-work settings, and the Ack of an on-call page.
  departmentSchedule,
  oncallAck,
  // Slack's wiring to accounts (slack-setup/): staff, department channels, client channels, link codes.
  slackStaffAdd,
  slackStaffRemove,
  slackChannelSet,
  slackBind,
  slackUnbind,
  slackLinkcode,
  slackLink,
  slackJoin,
] as const;

type Registered = (typeof functions)[number];
/** The name of every registered function. */
export type FunctionName = Registered['name'];
type Named<N extends string> = Extract<Registered, { name: N }>;
type Kinds<R, K extends string> = Extract<R, { kind: K }>;
type Or<A, B> = [A] extends [never] ? B : A;

/**
 * What `call` gives for function N called with parameters P: a list's rows typed by its columns, a
 * function's own form or ok. A function that has a form gives it without `sok` and its ok with `sok`
 * (the registry checks this); parameters built at run time leave both possible. A name that is not
 * registered gives any result (the API passes names through, and is refused at run time).
 */
export type ResultFor<N extends string, P = Record<string, string>> = string extends N
  ? Result
  : [Named<N>] extends [never]
    ? Result
    : Sok<ResultOf<Awaited<ReturnType<Named<N>['run']>>>, P>;
type Sok<R, P> = string extends keyof P
  ? R
  : 'sok' extends keyof P
    ? Or<Exclude<R, { kind: 'form' }>, R>
    : Or<Kinds<R, 'form' | 'list'>, R>;

/** The table of contents: every ticket and provisioning function by its BILLmanager name. */
export const registry: Readonly<Record<string, TicketFunction>> = Object.fromEntries(
  functions.map((fn) => [fn.name, fn]),
);

/**
 * The one entry point of every front door: checks access, parses the parameters, runs the function
 * in one transaction and records writes in the audit log. Refusals are TicketErrors and roll back.
 */
export async function call<N extends string, P extends Record<string, string>>(
  deps: Deps,
  session: Session,
  name: N,
  raw: P,
  input: CallInput = {},
): Promise<ResultFor<N, P>> {
  const fn = allowed(session, name);
  const params = parseParams(fn.params, raw, fn.keepEmpty);
  const [stray] = input.attachments ?? [];
  if (fn.readOnly && stray) throw strayFiles(stray.field);
  const now = deps.now();
  const work = async (tx: Tx): Promise<Result> => {
    const ctx = {
      tx,
      session,
      now,
      settings: deps.settings,
      changes: new Changes(),
      attachments: input.attachments ?? [],
    };
    const out = await fn.run(ctx, params);
    await storeAttachments(ctx, out);
    await planChanges(ctx);
    // ResultFor promises the ok of a submitted call: a function that answers `sok` with its form is a bug.
    if (out.kind === 'form' && raw.sok?.trim()) throw new Error(`${name} answered sok with a form`);
    if (out.kind === 'list') {
      return pageList(ctx, out, raw, Object.keys(fn.params.shape));
    }
    if (out.kind === 'ok') {
      const actor = session.suBy ? `${session.suBy.login} as ${session.login}` : session.login;
      const ids = out.tickets.length > 0 ? out.tickets : [null];
      await tx.insert(auditLog).values(
        ids.map((ticketId) => ({
          at: now,
          // The command line (`npm run admin`) and guests act without an account: user id 0, no actor row.
          actorId: session.suBy?.userId ?? (session.userId || null),
          actor,
          via: session.via,
          func: name,
          ticketId,
          params: redact(raw),
        })),
      );
    }
    return out;
  };
  const result = await (fn.readOnly ? work(deps.db) : deps.db.transaction(work));
  // The cast is the one place the name's static result meets the table looked up at run time.
  return result as ResultFor<N, P>;
}

/**
 * The gate's access check: the function, if `session` may call it. A front door also asks it first
 * when it would do work of its own before the call (a Slack lookup), so refusals come before that.
 */
export function allowed(session: Session, name: string): TicketFunction {
  // Own entries only: `constructor` and friends are names a request may send too.
  const fn = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!fn) throw missed('func', `Unknown function ${name}`, name);
  if (!fn.access.includes(session.level))
    throw denied(name, `Only ${whoMay(fn.access)} can do this (${name})`);
  return fn;
}

const LEVEL_NAMES = { root: 'root accounts', admin: 'admins', user: 'client users', guest: 'guests' };

/** Who may call a function, in words: root and admin together are staff. */
function whoMay(access: readonly Access[]): string {
  const staff = access.includes('root') && access.includes('admin');
  const others = staff ? access.filter((level) => level !== 'root' && level !== 'admin') : access;
  return [...(staff ? ['staff'] : []), ...others.map((level) => LEVEL_NAMES[level])].join(' and ');
}

/** Never keep secrets or huge bodies in the audit log. */
function redact(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (/pass|^confirm$|authinfo|^auth$|key|token|secret/i.test(key)) continue;
    out[key] = value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  }
  return out;
}
