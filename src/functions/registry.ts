import type { Tx } from '../../db/client.ts';
import { auditLog } from '../../db/schema.ts';
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
import { pageRows } from './row-list.ts';
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
import type { Deps, Result, Session, TicketFunction } from './types.ts';

const functions: TicketFunction[] = [
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
] as TicketFunction[];

/** The table of contents: every ticket and provisioning function by its BILLmanager name. */
export const registry: Readonly<Record<string, TicketFunction>> = Object.fromEntries(
  functions.map((fn) => [fn.name, fn]),
);

/**
 * The one entry point of every front door: checks access, parses the parameters, runs the function
 * in one transaction and records writes in the audit log. Refusals are TicketErrors and roll back.
 */
export async function call(
  deps: Deps,
  session: Session,
  name: string,
  raw: Record<string, string>,
): Promise<Result> {
  // Own entries only: `constructor` and friends are names a request may send too.
  const fn = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!fn) throw missed('func', `Unknown function ${name}`, name);
  if (!fn.access.includes(session.level)) {
    throw denied(name, `You do not have access to ${name}`);
  }
  const params = parseParams(fn.params, raw, fn.keepEmpty);
  const now = deps.now();
  const work = async (tx: Tx): Promise<Result> => {
    const ctx = { tx, session, now, settings: deps.settings, changes: new Changes() };
    const out = await fn.run(ctx, params);
    await planChanges(ctx);
    if (out.kind === 'list') {
      const own = Object.keys(fn.params.shape);
      return 'rows' in out ? pageRows(out, raw, own) : pageList(ctx, out, raw, own);
    }
    if (out.kind === 'ok') {
      const actor = session.suBy ? `${session.suBy.login} as ${session.login}` : session.login;
      const ids = out.tickets.length > 0 ? out.tickets : [null];
      await tx.insert(auditLog).values(
        ids.map((ticketId) => ({
          at: now,
          // The command line (`npm run admin`) acts before anyone exists: user id 0, no actor row.
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
  return fn.readOnly ? work(deps.db) : deps.db.transaction(work);
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
