import { parseArgs } from 'node:util';
import type { Deps } from '../../functions/types.ts';
import { type Io, runCli, Stopped, UsageError } from '../run.ts';
import { importAll, summaryLines } from './importer.ts';
import { Source, SourceRefusal, SourceUnreachable } from './source.ts';

export const IMPORT_USAGE = `Usage: npm run import -- --url URL --login LOGIN [--password PASSWORD] [options]

  --url URL          the BILLmanager API, e.g. https://billing.example.com/billmgr
  --login LOGIN      a root login there (the import reads staff, accounts and tickets)
  --password P       its password; without it, the first line of standard input
  --all              closed and archived tickets too (default: open tickets only)
  --dry-run          read everything, write nothing, say what would be created and updated
  --source NAME      names the source in external ids (default: the URL's host); keep it the same
                     on every run, so a second run updates instead of duplicating
  --page-size N      rows per list page (default 500)

Run it again to resume an import that stopped: what was imported is found by its source id.`;

/** `npm run import -- …`: reads another BILLmanager over its API and saves it here. */
export async function importCommand(
  deps: Deps,
  argv: string[],
  io: Io,
  stdin: () => Promise<string>,
  fetcher: typeof fetch = fetch,
): Promise<void> {
  const values = parse(argv);
  if (!values.url || !values.login) throw new UsageError('--url and --login are required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url ${values.url} is not a URL`);
  }
  const pageSize = Number(values['page-size'] ?? 500);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
    throw new UsageError('--page-size must be a whole number from 1 to 1000');
  const source = new Source(url.toString(), fetcher);
  const opts = {
    tag: values.source ?? url.host,
    all: values.all ?? false,
    dryRun: values['dry-run'] ?? false,
    pageSize,
  };
  try {
    await source.login(values.login, values.password ?? (await stdin()).split(/\r?\n/)[0] ?? '');
    const summary = await importAll(deps, source, opts, io);
    for (const line of summaryLines(summary, opts.dryRun)) io.out(line);
    io.out(opts.dryRun ? 'Dry run: nothing was written.' : 'Import finished.');
  } catch (error) {
    if (error instanceof SourceRefusal)
      throw new Stopped(`${url.host} refused func=${error.func}: ${error.message}`);
    if (error instanceof SourceUnreachable)
      throw new Stopped(
        `${error.message}\nThe import stopped; what was imported so far is kept. Run the same command again to resume.`,
      );
    throw error;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        login: { type: 'string' },
        password: { type: 'string' },
        all: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        source: { type: 'string' },
        'page-size': { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { readStdin } = await import('../admin.ts');
  await runCli(IMPORT_USAGE, (deps, io) => importCommand(deps, process.argv.slice(2), io, readStdin));
}
