import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { type Db, type DbHandle, openDb } from '../../db/client.ts';
import { schema } from '../../db/schema.ts';
import { withDatabase } from '../global-setup.ts';

export interface TestDb extends DbHandle {
  /** Empties every table, for a clean slate between tests. */
  reset(): Promise<void>;
  /** A connection string other processes can use (Postgres only). */
  url?: string;
}

/** A fresh migrated database for one test file: PGlite by default, Postgres with TEST_DATABASE_URL. */
export async function openTestDb(): Promise<TestDb> {
  const { dir, url, template } = inject('dbTemplate');
  let handle: DbHandle;
  let dbUrl: string | undefined;
  if (url) {
    const name = `ticketops_${template.split('_').pop()}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    await admin.end();
    dbUrl = withDatabase(url, name);
    const opened = await openDb({ databaseUrl: dbUrl });
    handle = {
      ...opened,
      close: async () => {
        await opened.close();
        const dropper = postgres(url, { max: 1, onnotice: () => {} });
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  } else {
    const client = new PGlite({ loadDataDir: new Blob([readFileSync(join(dir, 'template.tar'))]) });
    handle = {
      db: drizzle(client, { schema }) as unknown as Db,
      engine: 'pglite',
      close: () => client.close(),
    };
  }
  const tables = Object.values(schema)
    .map((t) => `"${(t as unknown as Record<symbol, string>)[Symbol.for('drizzle:Name')]}"`)
    .join(', ');
  return {
    ...handle,
    url: dbUrl,
    reset: async () => {
      await handle.db.execute(sql.raw(`truncate ${tables} restart identity cascade`));
    },
  };
}
