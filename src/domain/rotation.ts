import { TZDate } from '@date-fns/tz';
import { at } from '../../db/rows.ts';
import type { OnCall } from '../../db/schema.ts';
import { calendarDate, timeOfDay } from './clock-text.ts';

const HOUR = 3_600_000;

/** A Slack mention target: a user id (`U…`) or a user group (`subteam:S…`). */
export type Target = string;

export interface OnCallNow {
  current: Target | null;
  /** Who takes over at the next hand-over, for rotations; a user group has none. */
  next: { target: Target; from: Date } | null;
}

/**
 * Who is on call at `now`. A rotation hands over every `shiftHours` counted on the wall clock of its
 * time zone from `start` at `handover`, so a daily 09:00 hand-over stays at 09:00 across daylight saving.
 */
export function onCallAt(oncall: OnCall | null, now: Date): OnCallNow {
  if (!oncall) return { current: null, next: null };
  if (oncall.usergroup) return { current: `subteam:${oncall.usergroup}`, next: null };
  const r = oncall.rotation;
  if (!r || r.members.length === 0) return { current: null, next: null };
  const [y, mo, d] = calendarDate(r.start);
  const [h, mi] = timeOfDay(r.handover);
  const origin = Date.UTC(y, mo - 1, d, h, mi);
  const shift = r.shiftHours * HOUR;
  const index = Math.floor((wallClock(now, r.timezone) - origin) / shift);
  const member = (i: number) =>
    at(r.members, ((i % r.members.length) + r.members.length) % r.members.length, 'member');
  const nextWall = new Date(origin + (index + 1) * shift);
  const from = TZDate.tz(
    r.timezone,
    nextWall.getUTCFullYear(),
    nextWall.getUTCMonth(),
    nextWall.getUTCDate(),
    nextWall.getUTCHours(),
    nextWall.getUTCMinutes(),
  );
  return { current: member(index), next: { target: member(index + 1), from: new Date(from.getTime()) } };
}

/** The local wall-clock reading of an instant, as if it were UTC: arithmetic on it ignores DST jumps. */
function wallClock(at: Date, timezone: string): number {
  const l = new TZDate(at, timezone);
  return Date.UTC(l.getFullYear(), l.getMonth(), l.getDate(), l.getHours(), l.getMinutes(), l.getSeconds());
}

/** Slack markup that notifies the target. */
export function mention(target: Target): string {
  return target.startsWith('subteam:') ? `<!subteam^${target.slice(8)}>` : `<@${target}>`;
}
