import type { Kind } from '../../functions/provisioning/common.ts';
import type { Io } from '../run.ts';
import type { ImportOptions } from './importer.ts';
import { type Maps, ref } from './mapping.ts';
import { Progress } from './progress.ts';
import type { Source, SourceRow } from './source.ts';

type Save = (
  kind: Kind,
  func: string,
  sourceId: string,
  params: Record<string, string> | string,
  counted?: boolean,
) => Promise<number | undefined>;

/** Messages per `ticket.import` call: under the API's parameter size limit with 50 000-character messages. */
const BATCH_CHARS = 90_000;

/**
 * Tickets with their messages: the staff queue (open tickets), and with `--all` the closed and
 * archived ones too, read through the queue's saved filter, which is put back as it was afterwards.
 */
export async function importTickets(source: Source, opts: ImportOptions, maps: Maps, io: Io, save: Save) {
  const statuses = opts.all ? [undefined, '3', '10'] : [undefined];
  const saved = opts.all ? await source.call('ticket.filter') : undefined;
  try {
    for (const tstatus of statuses) {
      if (tstatus) await source.call('ticket.filter', { tstatus, sok: 'ok' });
      const label = tstatus === undefined ? 'tickets' : tstatus === '3' ? 'closed' : 'archived';
      const progress = new Progress(io, label, await source.count('ticket'));
      for await (const page of source.rows('ticket', {}, opts.pageSize)) {
        for (const row of page) await importTicket(source, opts, maps, save, row, tstatus);
        progress.advance(page.length);
      }
      progress.done();
    }
  } finally {
    if (saved) await restoreFilter(source, saved);
  }
}

async function importTicket(
  source: Source,
  opts: ImportOptions,
  maps: Maps,
  save: Save,
  row: SourceRow,
  tstatus: string | undefined,
) {
  const account = ref(maps, 'account', row.client_id, row.client);
  const department = ref(maps, 'department', row.department_id, row.department);
  const problem = !account
    ? `its client account (${row.client_id ?? row.client}) was not imported`
    : !department
      ? `its department (${row.department_id ?? row.department}) was not imported`
      : undefined;
  const params = {
    account: account ?? '',
    department: department ?? '',
    name: row.name || `Ticket ${row.id}`,
    tstatus: row.tstatus ?? tstatus ?? '1',
    ...(row.priority && ['0', '1', '2'].includes(row.priority) ? { priority: row.priority } : {}),
  };
  if (problem || opts.dryRun) return save('ticket', 'ticket.import', row.id, problem ?? params);
  const batches = await messageBatches(source, opts, row.id);
  for (const [i, messages] of batches.entries())
    await save('ticket', 'ticket.import', row.id, { ...params, messages }, i === 0);
}

/** The ticket's messages as JSON arrays, each small enough for one call. */
async function messageBatches(source: Source, opts: ImportOptions, ticketId: string): Promise<string[]> {
  const batches: string[] = [];
  let batch: unknown[] = [];
  let size = 0;
  for await (const page of source.rows('ticket.message', { elid: ticketId }, opts.pageSize)) {
    for (const m of page) {
      if (!m.id || !m.date_post) continue;
      const item = {
        external_id: `${opts.tag}#${m.id}`,
        type: m.type === 'outcoming' ? 'outcoming' : 'incoming',
        author: m.message_user,
        body: m.message ?? '',
        date: m.date_post,
        note: m.note === 'on',
        hidden: m.hidden === 'on',
      };
      const length = JSON.stringify(item).length;
      if (batch.length > 0 && (size + length > BATCH_CHARS || batch.length >= 500)) {
        batches.push(JSON.stringify(batch));
        batch = [];
        size = 0;
      }
      batch.push(item);
      size += length;
    }
  }
  batches.push(JSON.stringify(batch));
  return batches;
}

/** The queue filter as it was before the import read closed tickets through it. */
async function restoreFilter(source: Source, form: Record<string, unknown>) {
  const fields: Record<string, string> = {};
  for (const [key, node] of Object.entries(form)) {
    const value = (node as { $?: string })?.$ ?? (typeof node === 'string' ? node : undefined);
    if (value && !key.startsWith('$') && value !== 'off') fields[key] = value;
  }
  await source.call('ticket.filter', Object.keys(fields).length ? { ...fields, sok: 'ok' } : { reset: 'on' });
}
