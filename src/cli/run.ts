import { openDb } from '../../db/client.ts';
import { DataDirLockedError } from '../../db/data-dir-lock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { TicketError } from '../functions/errors.ts';
import type { Deps, Session } from '../functions/types.ts';

/** What a command writes to: standard output and error, replaceable in tests. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A usage mistake: told as it is, with the usage, and exit code 2. */
export class UsageError extends Error {}

/** A command that could not go on (the import's source refused or went away): its sentence, exit code 1. */
export class Stopped extends Error {}

/**
 * The command line acts as root on the local database, for the first root of an empty install and
 * for whoever holds the server's shell. User id 0: no account stands behind it; the audit log says `cli`.
 */
export const CLI_SESSION: Session = { userId: 0, login: 'cli', level: 'root', via: 'cli' };

/**
 * Runs a command against the configured database (DATABASE_URL, else the embedded DATA_DIR, whose
 * lock keeps it from a running server) and exits with 0, 1 (refused or failed) or 2 (usage).
 */
export async function runCli(usage: string, command: (deps: Deps, io: Io) => Promise<void>): Promise<never> {
  let code = 0;
  try {
    const config = loadConfig();
    const handle = await openDb(
      config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
    );
    try {
      const deps = { db: handle.db, now: () => new Date(), settings: { lockMinutes: config.LOCK_MINUTES } };
      await command(deps, processIo);
    } finally {
      await handle.close();
    }
  } catch (error) {
    code = 1;
    if (error instanceof UsageError) {
      processIo.err(`${error.message}\n\n${usage}`);
      code = 2;
    } else if (error instanceof TicketError)
      processIo.err(`error (${error.type} ${error.object}): ${error.message}`);
    else if (error instanceof ConfigError || error instanceof DataDirLockedError)
      processIo.err(error.message);
    else processIo.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(code);
}
