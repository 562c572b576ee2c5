import {
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { schema } from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: anything queries can run on. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface DbHandle {
  db: Db;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export type DbOptions = { databaseUrl: string } | { dataDir: string } | { memory: true };

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary constant: the advisory lock replicas take while migrating. */
const MIGRATION_LOCK = 7_410_001;

/** Thrown when another process already owns the embedded data directory. */
export class DataDirLockedError extends Error {}

/** Opens the database and applies pending migrations. */
export async function openDb(options: DbOptions): Promise<DbHandle> {
  if ('databaseUrl' in options) return openPostgres(options.databaseUrl);
  return openPglite('dataDir' in options ? resolve(options.dataDir) : undefined);
}

async function openPostgres(url: string): Promise<DbHandle> {
  // Drizzle's migrator takes no lock: two replicas starting together would race, so one
  // connection holds an advisory lock around it.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(migrator), { migrationsFolder });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return { db, engine: 'postgres', close: () => client.end() };
}

async function openPglite(dataDir: string | undefined): Promise<DbHandle> {
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const client = dataDir ? new PGlite(dataDir) : new PGlite();
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    await migratePglite(drizzlePglite(client), { migrationsFolder });
    return {
      db,
      engine: 'pglite',
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Lock files this process holds: "in use by this process" is known here, not guessed from a pid. */
const held = new Set<string>();
/** How often a holder touches its lock, so a holder on another host (or container) is seen alive. */
const HEARTBEAT_MS = 10_000;

/**
 * PGlite has no lock of its own and two processes on one directory lose data, so the first
 * process creates `<dir>.lock` naming itself; a lock left by a dead process is taken over.
 * A pid alone does not name a process: in a container every restart is PID 1 again, and pids are
 * reused. So the lock also holds the process start time, the boot id and the host name (see
 * `holderAlive`). The lock appears complete or not at all (a file linked into place), and a stale
 * lock is moved aside before it is replaced, so two processes taking over the same stale lock
 * cannot both win.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = `${dataDir}.lock`;
  const mine = `${lockPath}.${process.pid}`;
  writeFileSync(mine, describeProcess(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, lockPath);
        held.add(lockPath);
        const heartbeat = setInterval(() => touch(lockPath), HEARTBEAT_MS).unref();
        return () => {
          clearInterval(heartbeat);
          held.delete(lockPath);
          rmSync(lockPath, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readLock(lockPath);
      if (holder === undefined) continue; // released meanwhile
      const alive = holderAlive(holder, lockPath);
      if (alive) {
        throw new DataDirLockedError(
          `The data directory ${dataDir} is in use by ${alive}. ` +
            'Only one process can use the embedded database; stop it, or set DATABASE_URL to use Postgres.',
        );
      }
      takeOverStale(lockPath, holder.text);
    }
    throw new DataDirLockedError(`Could not lock ${lockPath}: other processes keep taking it`);
  } finally {
    rmSync(mine, { force: true });
  }
}

interface Holder {
  /** The file as read, to tell it from a newer lock when taking over. */
  text: string;
  pid: number;
  /** Absent in locks from before they were recorded (and start time off Linux). */
  start?: string;
  boot?: string;
  host?: string;
  touchedAt: number;
}

/** The lock's lines: pid, start time, boot id, host name. */
function describeProcess(pid: number): string {
  return [pid, startTime(pid) ?? '', bootId() ?? '', hostname()].join('\n');
}

/**
 * Who holds the lock, as the refusal names them, or undefined when the holder is gone:
 * - this process knows its own locks (a previous run with the same pid, as PID 1 in a container, is gone);
 * - on this host: gone after a reboot (boot id), when the pid is dead, or when it now belongs to a
 *   process started at another time;
 * - another host or container cannot be looked at, so its lock counts while it keeps being touched.
 */
function holderAlive(holder: Holder, lockPath: string): string | undefined {
  if (holder.host && holder.host !== hostname()) {
    const fresh = Date.now() - holder.touchedAt < 3 * HEARTBEAT_MS;
    return fresh
      ? `process ${holder.pid} on ${holder.host} (if it is gone, the lock expires ${(3 * HEARTBEAT_MS) / 1000} s after it stopped)`
      : undefined;
  }
  if (holder.pid === process.pid) return held.has(lockPath) ? 'this process' : undefined;
  if (holder.boot && holder.boot !== bootId()) return undefined;
  if (!isAlive(holder.pid)) return undefined;
  const start = startTime(holder.pid);
  return holder.start && start && start !== holder.start ? undefined : `process ${holder.pid}`;
}

/** Moves a dead process's lock aside; puts it back if it turned out to be a live one taken meanwhile. */
function takeOverStale(lockPath: string, staleText: string): void {
  const aside = `${lockPath}.stale.${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readLock(aside)?.text !== staleText) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // Someone locked again meanwhile; the next attempt reads their lock.
    }
  }
  rmSync(aside, { force: true });
}

function readLock(path: string): Holder | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    const [pid, start, boot, host] = text.split('\n').map((line) => line.trim());
    return { text, pid: Number(pid) || 0, start, boot, host, touchedAt: statSync(path).mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Removed by hand: nothing to keep fresh.
  }
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's start time in clock ticks since boot (Linux), which a reused pid does not share. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Changes with every boot (Linux); containers share their host's. */
function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Whether the database answers (for /healthz). */
export async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
