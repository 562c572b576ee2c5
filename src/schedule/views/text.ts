import { TZDate } from '@date-fns/tz';
import { format, roundToNearestMinutes } from 'date-fns';
import { escapeText } from '../../slack/views/mrkdwn.ts';

/**
 * "Mon 2 Mar 14:30 (Europe/Berlin)": a time as the department reads it, to the nearest minute, the
 * way the countdowns next to it are rounded.
 */
export function localTime(at: Date, timezone: string): string {
  const local = roundToNearestMinutes(new TZDate(at, timezone));
  return `${format(local, 'EEE d MMM HH:mm')} (${timezone})`;
}

/** How a person who acted is shown: a Slack user id is mentioned, anything else is quoted as is. */
export function actor(who: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(who) ? `<@${who}>` : escapeText(who);
}
