import type { KnownBlock } from '@slack/types';
import type { Names } from '../../functions/filter-names.ts';
import type { ListResult, Row } from '../../functions/types.ts';
import { ACTION, pageValue, ticketValue } from '../ids.ts';
import { actions, button, context, lockText, section, slackDate } from './blocks.ts';
import { FLAG_LABEL } from './forms.ts';
import { counted, PRIORITY_LABEL, STATUS_LABEL } from './labels.ts';
import { escapeText } from './mrkdwn.ts';

/** One queue line: what a staff member needs to pick the next ticket. */
export function queueLine(r: Row, tz?: string): string {
  const flags = [
    r.highpriority ? '⚡' : '',
    r.unread ? ':envelope:' : '',
    r.favorite ? ':star:' : '',
    r.abuse ? ':warning:' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const deadline = r.deadline instanceof Date ? ` · due ${slackDate(r.deadline, tz)}` : '';
  const waiting = r.delay ? ` · waiting ${r.delay}` : '';
  return (
    `${flags ? `${flags} ` : ''}*#${r.id}* ${escapeText(String(r.name))}\n` +
    `${escapeText(String(r.client))} · ${STATUS_LABEL[String(r.tstatus)]} · ${PRIORITY_LABEL[String(r.priority)]}` +
    `${waiting}${deadline} · ${escapeText(String(r.responsible ?? ''))}${r.blocked_by ? ` · :lock: ${lockText(r, tz)}` : ''}`
  );
}

/** The saved filter in words: names, not ids or parameter names. */
export function describeFilter(filter: Record<string, string>, names: Names): string[] {
  const named = (map: Map<number, string>, csv: string) =>
    csv
      .split(',')
      .map((id) => map.get(Number(id)) ?? `#${id}`)
      .join(', ');
  return Object.entries(filter).map(([k, v]) => {
    if (k === 'name') return `subject contains “${v}”`;
    if (k === 'id') return `ticket #${v}`;
    if (k === 'client') return `client ${named(names.clients, v)}`;
    if (k === 'department') return `department ${named(names.departments, v)}`;
    if (k === 'responsible') return `responsible ${named(names.staff, v)}`;
    if (k === 'tstatus') return `status ${STATUS_LABEL[v] ?? v}`;
    if (k === 'priority') return `priority ${PRIORITY_LABEL[v] ?? v}`;
    if (k in FLAG_LABEL) return FLAG_LABEL[k as keyof typeof FLAG_LABEL].toLowerCase();
    return `${k} ${v}`;
  });
}

/**
 * `/ticket` and `/ticket favorites`: a page of the queue, the saved filter shown, paging buttons;
 * times in the viewer's zone `tz`.
 */
export function queueBlocks(
  list: ListResult,
  shown: string[],
  favorites: boolean,
  tz?: string,
): KnownBlock[] {
  const { num, cnt, elems } = list.page;
  const pages = Math.max(1, Math.ceil(elems / cnt));
  const blocks: KnownBlock[] = [
    section(
      `*${favorites ? 'Your favorite tickets' : 'Ticket queue'}* · ${counted(elems, 'ticket')} · page ${num} of ${pages}`,
    ),
    context(
      shown.length
        ? `Filter: ${escapeText(shown.join(' · '))} · \`/ticket filter\` to change, \`/ticket filter reset\` to clear`
        : 'No filter · `/ticket filter` to set one',
    ),
  ];
  for (const r of list.rows)
    blocks.push(section(queueLine(r, tz), button('Open', ACTION.open, ticketValue(Number(r.id)))));
  if (list.rows.length === 0) blocks.push(section('Nothing here.'));
  const paging = [
    ...(num > 1 ? [button('← Previous', ACTION.pagePrevious, pageValue(num - 1, favorites))] : []),
    ...(num < pages ? [button('Next →', ACTION.pageNext, pageValue(num + 1, favorites))] : []),
  ];
  if (paging.length > 0) blocks.push(actions('queue:paging', paging));
  return blocks;
}
