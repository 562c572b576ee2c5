import { mention, onCallAt } from '../../domain/rotation.ts';
import {
  CURRENT_ONCALL,
  needsOnCall,
  oncallPagePayload,
  oncallSettledPayload,
  settle,
} from '../../functions/planners/oncall.ts';
import type { Deps } from '../../functions/types.ts';
import { payloadOf } from '../../jobs/payload.ts';
import type { Job } from '../../jobs/queue.ts';
import { NotYet } from '../../jobs/worker.ts';
import { department, episode, newestJob, recordPage } from '../../slack-store/scheduled.ts';
import { type JobSlack, postAboutTicket, postIdentity, update } from '../job-client.ts';
import { pageEndedMessage, pageMessage, pageTakenMessage } from '../views/alerts.ts';
import { oncallMessage } from '../views/oncall.ts';

/** How long a step waits for the step before it to be posted (it is running or about to). */
const STEP_WAIT_MS = 2_000;

/**
 * Posts one step of the chain, unless the ticket was taken, lowered or closed meanwhile. Steps go out
 * in order: a step waits while the one before it is still on its way (a slow or dead replica holds
 * it), but not for one that is failing, so a broken step cannot hold the escalation back.
 */
export function oncallPageHandler(slack: JobSlack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const p = payloadOf(job, oncallPagePayload);
    const row = await episode(deps.db, p.escalationId);
    if (!row || row.esc.ackedAt || row.esc.endedAt || !needsOnCall(row.ticket)) return;
    if (p.step > 0 && row.esc.lastStep < p.step - 1) {
      const before = await newestJob(deps.db, `oncall:${p.ticketId}:${p.escalationId}:${p.step - 1}`);
      const onItsWay = before?.state === 'running' || (before?.state === 'pending' && !before.lastError);
      if (onItsWay) throw new NotYet(`step ${p.step - 1} not posted yet`, STEP_WAIT_MS);
    }
    const now = deps.now();
    const target = p.target === CURRENT_ONCALL ? onCallAt(row.dep.oncall ?? null, now).current : p.target;
    if (!target) throw new Error(`Department ${row.dep.id} has nobody on call`);
    const waited = Math.round((now.getTime() - row.esc.startedAt.getTime()) / 60_000);
    const message = pageMessage(row.ticket, row.esc.id, p.step, mention(target), waited);
    const posted = await postAboutTicket(
      slack,
      deps.db,
      p.ticketId,
      { ...message, broadcast: true },
      postIdentity(job),
    );
    if (!posted) throw new Error(`Ticket ${p.ticketId} has no card and its department no channel`);
    const after = await recordPage(deps.db, row.esc.id, p.step, posted);
    // Taken or ended while this page was on its way: it gets the same update as the others.
    if (after.ackedAt || after.endedAt) await deps.db.transaction((tx) => settle(tx, after, deps.now()));
  };
}

/** After an Ack or the end of the need: every page posted for the episode says so, with no button. */
export function oncallSettledHandler(slack: JobSlack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { escalationId } = payloadOf(job, oncallSettledPayload);
    const row = await episode(deps.db, escalationId);
    if (!row) return;
    const message = row.esc.ackedBy
      ? pageTakenMessage(row.ticket, row.esc.ackedBy)
      : row.esc.endedAt
        ? pageEndedMessage(row.ticket)
        : null;
    if (!message) return;
    for (const m of row.esc.messages) await update(slack, { ...m, ...message });
  };
}

/** `/ticket oncall`: who is on call in the department now and who is next, as a message to show. */
export async function onCallStatus(deps: Deps, departmentId: number) {
  const dep = await department(deps.db, departmentId);
  const who = onCallAt(dep.oncall ?? null, deps.now());
  return { ...who, message: oncallMessage(dep.name, dep.oncall ?? null, who, dep.calendar.timezone) };
}
