import { TicketError } from '../../functions/errors.ts';
import { type Kind, localIdOf } from '../../functions/provisioning/common.ts';
import { call } from '../../functions/registry.ts';
import type { Deps } from '../../functions/types.ts';
import { CLI_SESSION, type Io } from '../run.ts';
import {
  accountParams,
  adminParams,
  departmentParams,
  type Maps,
  projectParams,
  userParams,
} from './mapping.ts';
import { Progress } from './progress.ts';
import { type Source, SourceRefusal, type SourceRow } from './source.ts';
import { importTickets } from './tickets.ts';

export interface ImportOptions {
  /** Names the source in external ids (`TAG#ID`): the same tag on every run finds what was imported. */
  tag: string;
  /** Closed and archived tickets too, not only open ones. */
  all: boolean;
  dryRun: boolean;
  pageSize: number;
}

/** What happened to each kind of object. */
export type Summary = Record<
  string,
  { created: number; updated: number; refused: number; reasons: string[] }
>;

/** One kind of object: where it is listed in the source, which function saves it here. */
interface Step {
  kind: Kind;
  list: string;
  save: string;
  params(row: SourceRow, maps: Maps): Record<string, string> | string;
}

const STEPS: Step[] = [
  { kind: 'project', list: 'project', save: 'project.edit', params: projectParams },
  { kind: 'department', list: 'department', save: 'department.edit', params: departmentParams },
  { kind: 'account', list: 'account', save: 'account.edit', params: accountParams },
  { kind: 'user', list: 'user', save: 'user.edit', params: userParams },
  { kind: 'admin', list: 'admin', save: 'admin.edit', params: adminParams },
];

/**
 * Imports providers, departments, client accounts and their users, staff, then tickets with their
 * messages. Each object is one registry call (one transaction, audited) that records the source's
 * id, so an import stopped half way is resumed by running it again: what is there is updated.
 */
export async function importAll(deps: Deps, source: Source, opts: ImportOptions, io: Io): Promise<Summary> {
  await checkRights(source);
  const summary: Summary = {};
  const maps: Maps = { tag: opts.tag, ids: {}, names: {} };
  const tally = (kind: string) => (summary[kind] ??= { created: 0, updated: 0, refused: 0, reasons: [] });
  const save = async (
    kind: Kind,
    func: string,
    sourceId: string,
    params: Record<string, string> | string,
    counted = true,
  ) => {
    const t = counted ? tally(kind) : { created: 0, updated: 0, refused: 0, reasons: [] };
    if (typeof params === 'string') return refuse(t, `${kind} ${sourceId}: ${params}`);
    const external = `${opts.tag}#${sourceId}`;
    const known = await localIdOf(deps.db, kind, external);
    if (opts.dryRun) {
      t[known ? 'updated' : 'created']++;
      return known ?? -Number(sourceId);
    }
    try {
      // Naming the object already imported spares the function looking it up again.
      const target: Record<string, string> = known && kind !== 'ticket' ? { elid: String(known) } : {};
      const result = await call(deps, CLI_SESSION, func, {
        ...params,
        ...target,
        external_id: external,
        sok: 'ok',
      });
      t[known ? 'updated' : 'created']++;
      return result.kind === 'ok' ? result.id : undefined;
    } catch (error) {
      if (!(error instanceof TicketError)) throw error;
      return refuse(t, `${kind} ${sourceId}: ${error.message}`);
    }
  };

  for (const step of STEPS) {
    const progress = new Progress(io, step.kind, await source.count(step.list));
    const ids: Record<string, number> = {};
    const names: Record<string, number> = {};
    maps.ids[step.kind] = ids;
    maps.names[step.kind] = names;
    for await (const page of source.rows(step.list, {}, opts.pageSize)) {
      for (const row of page) {
        const local = await save(step.kind, step.save, row.id, step.params(row, maps));
        if (local !== undefined) {
          ids[row.id] = local;
          if (row.name) names[row.name] = local;
        }
      }
      progress.advance(page.length);
    }
    progress.done();
  }
  await importTickets(source, opts, maps, io, save);
  return summary;
}

function refuse(t: Summary[string], reason: string): undefined {
  t.refused++;
  if (t.reasons.length < 5) t.reasons.push(reason);
  return undefined;
}

/** Reading staff and accounts needs a root or staff login with rights to them: say so up front. */
async function checkRights(source: Source): Promise<void> {
  if (source.level === '16')
    throw new SourceRefusal(
      'auth',
      'access',
      'level',
      'This is a client login; the import needs a root login',
    );
  for (const func of ['admin', 'account', 'ticket']) {
    try {
      await source.count(func);
    } catch (error) {
      if (error instanceof SourceRefusal && error.type === 'access')
        throw new SourceRefusal(
          func,
          'access',
          func,
          `This login may not read ${func} on ${source.url} (${error.message}); the import needs a root login`,
        );
      throw error;
    }
  }
}

/** The summary as lines for the terminal. */
export function summaryLines(summary: Summary, dryRun: boolean): string[] {
  const verb = dryRun ? 'would be ' : '';
  return Object.entries(summary).flatMap(([kind, t]) => [
    `${kind.padEnd(11)} ${verb}created ${t.created}, ${verb}updated ${t.updated}, refused ${t.refused}`,
    ...t.reasons.map((r) => `    refused ${r}`),
  ]);
}
