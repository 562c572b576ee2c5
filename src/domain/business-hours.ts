import { TZDate } from '@date-fns/tz';
import { format, getISODay } from 'date-fns';
import type { Calendar } from '../../db/schema.ts';
import { timeOfDay } from './clock-text.ts';

const MINUTE = 60_000;
/** A calendar that never opens would loop forever; ten years of searching is plenty. */
const MAX_DAYS = 3660;

/**
 * The instant `minutes` of business time after `start`, counted only inside the calendar's working
 * hours on working days that are not holidays, in the calendar's own time zone (so daylight-saving
 * changes shift the hours with the wall clock).
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: Calendar): Date {
  let remaining = minutes;
  let cursor = start.getTime();
  const [startH, startM] = timeOfDay(calendar.start);
  const [endH, endM] = timeOfDay(calendar.end);
  for (let day = 0; day < MAX_DAYS; day++) {
    const local = new TZDate(cursor, calendar.timezone);
    const [y, m, d] = [local.getFullYear(), local.getMonth(), local.getDate()];
    if (isWorkingDay(local, calendar)) {
      const open = TZDate.tz(calendar.timezone, y, m, d, startH, startM).getTime();
      const close = TZDate.tz(calendar.timezone, y, m, d, endH, endM).getTime();
      cursor = Math.max(cursor, open);
      if (cursor < close) {
        const available = (close - cursor) / MINUTE;
        if (remaining <= available) return new Date(cursor + remaining * MINUTE);
        remaining -= available;
      }
    }
    cursor = TZDate.tz(calendar.timezone, y, m, d + 1, 0, 0).getTime();
  }
  throw new RangeError('The calendar has no working hours');
}

export function isWorkingDay(local: TZDate, calendar: Calendar): boolean {
  return calendar.days.includes(getISODay(local)) && !calendar.holidays.includes(format(local, 'yyyy-MM-dd'));
}
