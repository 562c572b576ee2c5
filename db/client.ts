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
import { lockDataDir } from './data-dir-lock.ts';
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

/** Thrown when the server in DATABASE_URL cannot be reached or refuses the connection. */
export class DatabaseConnectError extends Error {}

/** Opens the database and applies pending migrations. */
export async function openDb(options: DbOptions): Promise<DbHandle> {
  if ('databaseUrl' in options) return openPostgres(options.databaseUrl);
  return openPglite('dataDir' in options ? resolve(options.dataDir) : undefined);
}

async function openPostgres(url: string): Promise<DbHandle> {
  // Drizzle's migrator takes no lock: two replicas starting together would race, so one
  // connection holds an advisory lock around it.
  const migrator = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: CONNECT_TIMEOUT_S });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`.catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatabaseConnectError(`DATABASE_URL: cannot connect to ${withoutPassword(url)}: ${reason}`);
    });
    await migratePostgres(drizzlePostgres(migrator), { migrationsFolder });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    connect_timeout: CONNECT_TIMEOUT_S,
    // Names this process's connections, so /metrics can count its own pool in pg_stat_activity.
    // No JIT: a list's estimate can look large (Postgres cannot foresee how few rows the queue's
    // bound leaves) and compiling then took seconds for a 30-row page (BENCHMARKS.md).
    connection: { application_name: `ticket-ops ${hostname()} ${process.pid}`.slice(0, 63), jit: 'off' },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return { db, engine: 'postgres', close: () => client.end() };
}

/** An unreachable server fails start-up in seconds, not after postgres.js's default 30. */
const CONNECT_TIMEOUT_S = 10;

/** The URL as a log may show it: the password never leaves the environment. */
function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/**
 * Postgres's defaults size caches for a server (shared_buffers 128MB); inside one Node process they
 * are WebAssembly memory that is never given back. 16MB halves the process (BENCHMARKS.md, "Memory").
 */
const PGLITE_OPTIONS = {
  postgresqlconf: ['shared_buffers=16MB', 'work_mem=1MB', 'maintenance_work_mem=8MB', 'temp_buffers=1MB'],
};

async function openPglite(dataDir: string | undefined): Promise<DbHandle> {
  const releaseLock = dataDir ? await lockDataDir(dataDir) : () => {};
  try {
    const client = dataDir ? new PGlite(dataDir, PGLITE_OPTIONS) : new PGlite(PGLITE_OPTIONS);
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

/** Whether the database answers (for /healthz). */
export async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
