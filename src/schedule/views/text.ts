import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** Client-written text made inert: no mentions, links or broadcasts can be smuggled in; cut to fit a line. */
export function escapeText(text: string): string {
  return text.slice(0, 150).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "Mon 2 Mar 14:30 (Europe/Berlin)": a time as the department reads it. */
export function localTime(at: Date, timezone: string): string {
  return `${format(new TZDate(at, timezone), 'EEE d MMM HH:mm')} (${timezone})`;
}

/** How a person who acted is shown: a Slack user id is mentioned, anything else is quoted as is. */
export function actor(who: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(who) ? `<@${who}>` : escapeText(who);
}
