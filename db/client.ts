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
  const releaseLock = dataDir ? await lockDataDir(dataDir) : () => {};
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

/** Whether the database answers (for /healthz). */
export async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
