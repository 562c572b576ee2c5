import { TZDate } from '@date-fns/tz';
import { Cron } from 'croner';
import { format } from 'date-fns';
import { type Priority, STATUS, type Status } from '../../db/schema.ts';
import { timeOfDay } from './clock-text.ts';
import { queueWeight } from './tickets.ts';

/** An open ticket as the digest sees it. */
export interface DigestTicket {
  id: number;
  name: string;
  status: Status;
  priority: Priority;
  highPriority: boolean;
  waitingSince: Date | null;
  deadline: Date | null;
  premium: boolean;
  client: string;
  /** Name of the responsible staff member, null when nobody is assigned. */
  responsible: string | null;
}

export interface Digest {
  localDate: string;
  total: number;
  byStatus: { new: number; review: number; awaiting: number };
  /** How many are overdue and due today, however many the lists below show. */
  counts: { overdue: number; dueToday: number };
  /** The first few of each, soonest deadline first. */
  overdue: DigestTicket[];
  dueToday: DigestTicket[];
  longestWaiting: DigestTicket[];
  top: DigestTicket[];
  /** Open tickets per responsible, most loaded first; `null` name = unassigned. */
  load: { responsible: string | null; count: number }[];
}

const LIST_LIMIT = 5;

/** A ticket whose client waits for the staff: the only ones that can be overdue. */
const isWaiting = (t: DigestTicket) => t.waitingSince !== null && t.status !== STATUS.awaiting;

/** The state of a department's queue at `now`, "today" being the local day in `timezone`. */
export function buildDigest(open: DigestTicket[], now: Date, timezone: string): Digest {
  const localDate = localDay(now, timezone);
  const waiting = open.filter(isWaiting);
  const overdue = waiting.filter((t) => t.deadline && t.deadline <= now);
  const dueToday = waiting.filter(
    (t) => t.deadline && t.deadline > now && localDay(t.deadline, timezone) === localDate,
  );
  const byDeadline = (a: DigestTicket, b: DigestTicket) =>
    (a.deadline?.getTime() ?? 0) - (b.deadline?.getTime() ?? 0);
  const loads = new Map<string | null, number>();
  for (const t of open) loads.set(t.responsible, (loads.get(t.responsible) ?? 0) + 1);
  const weight = (t: DigestTicket) => queueWeight(t, t.premium, now);
  return {
    localDate,
    total: open.length,
    byStatus: {
      new: open.filter((t) => t.status === STATUS.new).length,
      review: open.filter((t) => t.status === STATUS.review).length,
      awaiting: open.filter((t) => t.status === STATUS.awaiting).length,
    },
    counts: { overdue: overdue.length, dueToday: dueToday.length },
    overdue: overdue.sort(byDeadline).slice(0, LIST_LIMIT),
    dueToday: dueToday.sort(byDeadline).slice(0, LIST_LIMIT),
    longestWaiting: [...waiting]
      .sort((a, b) => (a.waitingSince?.getTime() ?? 0) - (b.waitingSince?.getTime() ?? 0))
      .slice(0, 3),
    top: [...open].sort((a, b) => weight(b) - weight(a) || a.id - b.id).slice(0, LIST_LIMIT),
    load: [...loads]
      .map(([responsible, count]) => ({ responsible, count }))
      .sort((a, b) => b.count - a.count || byName(a.responsible, b.responsible)),
  };
}

/**
 * When the counts of a digest built at `now` change by time alone: the next deadline of a waiting
 * ticket to pass on the same local day (a later day has its own digest). Null when none does.
 */
export function nextCountChange(open: DigestTicket[], now: Date, timezone: string): Date | null {
  const today = localDay(now, timezone);
  const next = open
    .filter((t) => isWaiting(t) && t.deadline && t.deadline > now)
    .map((t) => t.deadline as Date)
    .filter((d) => localDay(d, timezone) === today)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return next ?? null;
}

/** Names alphabetically, the unassigned last. */
function byName(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a.localeCompare(b);
}

/** The local date 'YYYY-MM-DD' of an instant in a time zone. */
export function localDay(at: Date, timezone: string): string {
  return format(new TZDate(at, timezone), 'yyyy-MM-dd');
}

/**
 * The next digest time strictly after `after`: 'HH:MM' local in `timezone`. croner follows the zone's
 * daylight-saving rules (a time skipped by a spring-forward runs at the first valid minute after it).
 */
export function nextDigestAt(time: string, timezone: string, after: Date): Date {
  const [h, m] = timeOfDay(time);
  const next = new Cron(`${m} ${h} * * *`, { timezone }).nextRun(after);
  if (!next) throw new RangeError(`No next run for ${time} in ${timezone}`);
  return next;
}
