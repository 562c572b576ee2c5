import type { KnownBlock } from '@slack/types';
import type { Digest, DigestTicket } from '../../domain/digest.ts';
import { formatRemaining, humanMinutes } from '../../domain/sla.ts';
import { ACTION } from '../ids.ts';
import { context, md, plain, section } from './blocks.ts';
import { localTime } from './local-time.ts';
import { escapeText } from './mrkdwn.ts';

/** The daily digest of a department's queue as a Slack message; pure, `now` passed in. */
export function digestMessage(
  department: string,
  digest: Digest,
  timezone: string,
  now: Date,
): { text: string; blocks: KnownBlock[] } {
  const s = digest.byStatus;
  const text = `Queue digest for ${escapeText(department)}, ${digest.localDate}: ${digest.total} open, ${digest.counts.overdue} overdue, ${digest.counts.dueToday} due today`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`Queue digest: ${department}, ${digest.localDate}`) },
    {
      type: 'section',
      fields: [
        field('New', s.new),
        field('Under review', s.review),
        field('Awaiting client', s.awaiting),
        field('Overdue', digest.counts.overdue),
        field('Due today', digest.counts.dueToday),
        field('Open in all', digest.total),
      ],
    },
  ];
  const list = (heading: string, rows: DigestTicket[], detail: (t: DigestTicket) => string) => {
    if (rows.length === 0) return;
    blocks.push(section(`*${heading}*`));
    for (const t of rows) blocks.push(ticketLine(t, detail(t)));
  };
  list('Overdue', digest.overdue, (t) => (t.deadline ? formatRemaining(t.deadline, now) : ''));
  list('Due today', digest.dueToday, (t) => (t.deadline ? formatRemaining(t.deadline, now) : ''));
  list('Waiting longest', digest.longestWaiting, (t) =>
    t.waitingSince ? `waiting ${humanMinutes(minutesSince(t.waitingSince, now))}` : '',
  );
  list('Top of the queue', digest.top, (t) => (t.highPriority || t.priority === 2 ? 'high priority' : ''));
  if (digest.load.length > 0) {
    const load = digest.load
      .map((l) => `${escapeText(l.responsible ?? 'Unassigned')}: ${l.count}`)
      .join(' · ');
    blocks.push(context(`*Load* ${load}`));
  }
  blocks.push(context(`Updated ${localTime(now, timezone)}`));
  return { text, blocks };
}

function field(label: string, n: number) {
  return md(`*${label}*\n${n}`, 2000);
}

function ticketLine(t: DigestTicket, detail: string) {
  const who = t.responsible ? ` · ${escapeText(t.responsible)}` : '';
  return section(
    `#${t.id} ${escapeText(t.name)} · ${escapeText(t.client)}${who}${detail ? ` · ${detail}` : ''}`,
    {
      type: 'button',
      action_id: ACTION.digestOpen,
      text: { type: 'plain_text', text: 'Open' },
      value: String(t.id),
    },
  );
}

function minutesSince(at: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - at.getTime()) / 60_000));
}
