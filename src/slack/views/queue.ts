import type { KnownBlock } from '@slack/types';
import type { ListResult, Row } from '../../functions/types.ts';
import { ACTION, pageValue, ticketValue } from '../ids.ts';
import { actions, button, context, section, slackDate } from './blocks.ts';
import { counted, PRIORITY_LABEL, STATUS_LABEL } from './labels.ts';
import { escapeText } from './mrkdwn.ts';

/** One queue line: what a staff member needs to pick the next ticket. */
export function queueLine(r: Row): string {
  const flags = [
    r.highpriority ? '⚡' : '',
    r.unread ? ':envelope:' : '',
    r.favorite ? ':star:' : '',
    r.abuse ? ':warning:' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const deadline = r.deadline instanceof Date ? ` · due ${slackDate(r.deadline)}` : '';
  const waiting = r.delay ? ` · waiting ${r.delay}` : '';
  return (
    `${flags ? `${flags} ` : ''}*#${r.id}* ${escapeText(String(r.name))}\n` +
    `${escapeText(String(r.client))} · ${STATUS_LABEL[String(r.tstatus)]} · ${PRIORITY_LABEL[String(r.priority)]}` +
    `${waiting}${deadline} · ${escapeText(String(r.responsible ?? ''))}${r.blocked_by ? ` · :lock: ${escapeText(String(r.blocked_by))}` : ''}`
  );
}

/** `/ticket` and `/ticket favorites`: a page of the queue, the saved filter shown, paging buttons. */
export function queueBlocks(
  list: ListResult,
  filter: Record<string, string>,
  favorites: boolean,
): KnownBlock[] {
  const { num, cnt, elems } = list.page;
  const pages = Math.max(1, Math.ceil(elems / cnt));
  const shown = Object.entries(filter).map(([k, v]) => `${k}=${v}`);
  const blocks: KnownBlock[] = [
    section(
      `*${favorites ? 'Your favorite tickets' : 'Ticket queue'}* · ${counted(elems, 'ticket')} · page ${num} of ${pages}`,
    ),
    context(
      shown.length
        ? `Filter: ${escapeText(shown.join(', '))} · \`/ticket filter\` to change, \`/ticket filter reset\` to clear`
        : 'No filter · `/ticket filter` to set one',
    ),
  ];
  for (const r of list.rows)
    blocks.push(section(queueLine(r), button('Open', ACTION.open, ticketValue(Number(r.id)))));
  if (list.rows.length === 0) blocks.push(section('Nothing here.'));
  const paging = [
    ...(num > 1 ? [button('← Previous', ACTION.pagePrevious, pageValue(num - 1, favorites))] : []),
    ...(num < pages ? [button('Next →', ACTION.pageNext, pageValue(num + 1, favorites))] : []),
  ];
  if (paging.length > 0) blocks.push(actions('queue:paging', paging));
  return blocks;
}
