import { STATUS, type Ticket } from '../../db/schema.ts';

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
  return (
    t.deadline !== null &&
    t.waitingSince !== null &&
    t.status !== STATUS.closed &&
    t.status !== STATUS.archived
  );
}

export interface WarningPlan {
  /** Minutes before the deadline (0 = at breach). */
  stage: number;
  at: Date;
}

/**
 * The warnings still to send for a deadline. Early stages whose time has passed are dropped (a later
 * stage says it better); the breach warning always stays, sent at once when the deadline already passed.
 */
export function warningPlan(deadline: Date, stages: number[], now: Date): WarningPlan[] {
  const sorted = [...new Set(stages)].sort((a, b) => b - a);
  const last = sorted.at(-1);
  return sorted.flatMap((stage) => {
    const at = new Date(deadline.getTime() - stage * MINUTE);
    if (at >= now) return [{ stage, at }];
    return stage === last ? [{ stage, at: now }] : [];
  });
}

/** Remaining time to a deadline for people: "1 h 05 min left", "overdue by 12 min". */
export function formatRemaining(deadline: Date, now: Date): string {
  const ms = deadline.getTime() - now.getTime();
  // Rounded away from the deadline: a second past it already reads "overdue by 1 min".
  return ms >= 0
    ? `${humanMinutes(Math.floor(ms / MINUTE))} left`
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
