import type { Ticket } from '../../db/schema.ts';
import { countsDown } from './tickets.ts';

const MINUTE = 60_000;

/** Warning stages when a department sets none: an hour before, a quarter of an hour before, at breach. */
export const DEFAULT_WARNING_STAGES = [60, 15, 0];

/**
 * Whether the ticket's response clock is running: someone owes the client an answer by a deadline.
 * A staff reply clears `waitingSince`, closing stops it, so both end every pending warning.
 */
export function slaRunning(t: Pick<Ticket, 'deadline' | 'waitingSince' | 'status'>): t is typeof t & {
  deadline: Date;
} {
  return countsDown({ status: t.status, deadline: t.deadline, waiting: t.waitingSince !== null });
}

export interface WarningPlan {
  /** Minutes before the deadline (0 = at breach). */
  stage: number;
  at: Date;
}

/**
 * The warnings still to send for a deadline: the stages still ahead. A deadline already passed adds
 * its last stage at once when `overdueOwed` (nobody was told the ticket is overdue during this wait);
 * passed early stages are never sent (a later stage says it better).
 */
export function warningPlan(
  deadline: Date,
  stages: number[],
  now: Date,
  overdueOwed: boolean,
): WarningPlan[] {
  const sorted = [...new Set(stages)].sort((a, b) => b - a);
  const plan = sorted
    .map((stage) => ({ stage, at: new Date(deadline.getTime() - stage * MINUTE) }))
    .filter((p) => p.at >= now);
  const last = sorted.at(-1);
  if (plan.length === 0 && last !== undefined && overdueOwed) plan.push({ stage: last, at: now });
  return plan;
}

/**
 * Whether a warning stage is stale at `now`: a later stage of the same deadline is due as well (the
 * worker was down, or another replica was slow), so that later one alone is sent.
 */
export function supersededStage(deadline: Date, stage: number, stages: number[], now: Date): boolean {
  return stages.some((s) => s < stage && deadline.getTime() - s * MINUTE <= now.getTime());
}

/**
 * Remaining time to a deadline as people read it: "2 min left" two minutes before, give or take the
 * seconds a message takes to go out (rounded to the nearest minute); "overdue by 12 min", where a
 * second past the deadline already reads "overdue by 1 min".
 */
export function formatRemaining(deadline: Date, now: Date): string {
  const ms = deadline.getTime() - now.getTime();
  // Overdue since another year: "2524 d" alone hides how old it is, the date says it.
  if (ms < 0 && deadline.getUTCFullYear() !== now.getUTCFullYear())
    return `overdue since ${deadline.toISOString().slice(0, 10)} (${humanMinutes(Math.ceil(-ms / MINUTE))})`;
  // Halves round down: 65½ minutes still read "1 h 05 min left".
  return ms >= 0
    ? `${humanMinutes(Math.ceil(ms / MINUTE - 0.5))} left`
    : `overdue by ${humanMinutes(Math.ceil(-ms / MINUTE))}`;
}

export function humanMinutes(total: number): string {
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(mins).padStart(2, '0')} min`;
  return `${mins} min`;
}
