import type { Calendar, Priority, Regulation, Status } from '../../db/schema.ts';
import { STATUS } from '../../db/schema.ts';
import { addBusinessMinutes } from './business-hours.ts';

const MINUTE = 60_000;

/** The priority the regulation applies: a manually raised ticket counts as high. */
export function effectivePriority(t: { priority: Priority; highPriority: boolean }): Priority {
  return t.highPriority ? 2 : t.priority;
}

/** When the department's response regulation for this priority expires, counted from `from`. */
export function regulationDeadline(
  department: { regulation: Regulation; calendar: Calendar },
  priority: Priority,
  from: Date,
): Date {
  return addBusinessMinutes(
    from,
    department.regulation[String(priority) as '0' | '1' | '2'],
    department.calendar,
  );
}

/**
 * Internal queue weight: higher is answered first.
 *   1 + 1000·priority + 3000·(raised manually) + 500·(premium client)
 *   + waiting minutes / 4 (at most 720, i.e. two days of waiting)
 *   + deadline pressure: 0 when more than 1000 minutes away, rising by one per minute to 1000, 1500 overdue.
 * A high-priority ticket thus always outranks a medium one unless the medium one is overdue and has waited long.
 */
export function queueWeight(
  t: { priority: Priority; highPriority: boolean; waitingSince: Date | null; deadline: Date | null },
  premium: boolean,
  now: Date,
): number {
  let weight = 1 + 1000 * t.priority + (t.highPriority ? 3000 : 0) + (premium ? 500 : 0);
  if (t.waitingSince)
    weight += Math.min(720, Math.floor((now.getTime() - t.waitingSince.getTime()) / MINUTE / 4));
  if (t.deadline) {
    const left = Math.floor((t.deadline.getTime() - now.getTime()) / MINUTE);
    weight += left < 0 ? 1500 : Math.max(0, 1000 - left);
  }
  return Math.max(1, weight);
}

/** BILLmanager's duration format `Nd+HH:MM` (negative durations are shown as zero). */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  return `${days}d+${String(hours).padStart(2, '0')}:${String(mins).padStart(2, '0')}`;
}

/** BILLmanager's date format `YYYY-MM-DD HH:MM:SS` (UTC). */
export function formatDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** How long the client has waited, or an empty string when nobody owes them an answer. */
export function delay(waitingSince: Date | null, now: Date): string {
  return waitingSince ? formatDuration(now.getTime() - waitingSince.getTime()) : '';
}

const STATUSES: readonly number[] = Object.values(STATUS);

/** A status as lists and forms carry it: BILLmanager sends status codes as strings (`"3"`). */
export function statusOfCode(code: string | undefined): Status {
  const status = Number(code);
  if (code === undefined || !STATUSES.includes(status)) throw new RangeError(`Not a ticket status: ${code}`);
  return status as Status;
}

/** Closed or archived: nobody owes work on it, nobody holds its lock, no deadline runs. */
export function isClosed(status: Status): boolean {
  return status === STATUS.closed || status === STATUS.archived;
}

/**
 * Whether a ticket's deadline counts down: it is open and the client waits for an answer. Cards show
 * the time left and SLA warnings are planned only then.
 */
export function countsDown(t: { status: Status; deadline: Date | null; waiting: boolean }): t is typeof t & {
  deadline: Date;
} {
  return t.deadline !== null && t.waiting && !isClosed(t.status);
}

/** Statuses in which staff still owe work: the queue. */
export const OPEN_STATUSES: Status[] = [STATUS.new, STATUS.review, STATUS.awaiting];

/** Status after a client writes: every client message (re)opens the ticket as new. */
export const statusAfterClientMessage = (): Status => STATUS.new;
/** Status after a staff member opens the ticket: new tickets become "under review". */
export const statusAfterOpen = (s: Status): Status => (s === STATUS.new ? STATUS.review : s);
/** Status after a staff reply visible to the client. */
export const statusAfterStaffReply = (): Status => STATUS.awaiting;
