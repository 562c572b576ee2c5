import { TZDate } from '@date-fns/tz';
import { format, roundToNearestMinutes } from 'date-fns';
import { escapeText } from './mrkdwn.ts';

/**
 * "Mon 2 Mar 14:30 (Europe/Berlin)": a time as the department reads it, to the nearest minute, the
 * way the countdowns next to it are rounded.
 */
export function localTime(at: Date, timezone: string): string {
  const local = roundToNearestMinutes(new TZDate(at, timezone));
  return `${format(local, 'EEE d MMM HH:mm')} (${escapeText(timezone)})`;
}
