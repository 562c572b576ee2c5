import { mention, onCallAt } from '../../domain/rotation.ts';
import { slaRunning, supersededStage } from '../../domain/sla.ts';
import { sentDuringWait, slaWarningPayload } from '../../functions/planners/sla.ts';
import type { Deps } from '../../functions/types.ts';
import { payloadOf } from '../../jobs/payload.ts';
import type { Job } from '../../jobs/queue.ts';
import { recordWarning, warningTicket } from '../../slack-store/scheduled.ts';
import { type JobSlack, postAboutTicket, postIdentity } from '../job-client.ts';
import { warningMessage } from '../views/alerts.ts';

/**
 * Sends one warning, after reading the ticket again. Nothing is sent when it was answered, closed or
 * re-dated since the job was scheduled (the change itself scheduled whatever is due now), when a
 * later stage is due too (after downtime only the latest stage goes out, worded for how late it is),
 * or when this stage of this deadline was already sent.
 */
export function slaWarningHandler(slack: JobSlack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { ticketId, stage, deadline } = payloadOf(job, slaWarningPayload);
    const row = await warningTicket(deps.db, ticketId);
    if (!row || !slaRunning(row.ticket) || row.ticket.deadline.toISOString() !== deadline) return;
    const now = deps.now();
    const t = row.ticket;
    if (supersededStage(t.deadline, stage, row.dep.warningStages, now)) return;
    const sent = await sentDuringWait(deps.db, t);
    const overdue = t.deadline <= now;
    if (sent.some((w) => w.stage === stage && w.deadline.getTime() === t.deadline.getTime())) return;
    if (overdue && sent.some((w) => w.overdue)) return;
    const target = row.slackUserId ?? onCallAt(row.dep.oncall ?? null, now).current;
    const message = warningMessage(
      t,
      stage,
      t.deadline,
      row.dep.calendar.timezone,
      target ? mention(target) : null,
      now,
    );
    await postAboutTicket(slack, deps.db, ticketId, message, postIdentity(job));
    await recordWarning(deps.db, { ticketId, deadline: t.deadline, stage, overdue, sentAt: now });
  };
}
