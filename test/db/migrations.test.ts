import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../global-setup.ts';

const migrations = join(import.meta.dirname, '../../db/migrations');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The migration folder as it was before migration `tag`: later entries left out of the journal. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ticket-ops-migrations-'));
  dirs.push(dir);
  cpSync(migrations, dir, { recursive: true });
  const journal = JSON.parse(readFileSync(join(migrations, 'meta/_journal.json'), 'utf8'));
  const at = journal.entries.findIndex((e: { tag: string }) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  return dir;
}

type Exec = (query: string) => Promise<Record<string, unknown>[]>;

/** A new, empty database on the engine under test; `migrate` applies a migration folder to it. */
async function emptyDatabase(): Promise<{
  exec: Exec;
  migrate: (folder: string) => Promise<void>;
  close: () => Promise<void>;
}> {
  const { url, template } = inject('dbTemplate');
  if (!url) {
    const client = new PGlite();
    const db = drizzlePglite(client);
    return {
      exec: async (q) => (await client.query<Record<string, unknown>>(q)).rows,
      migrate: (folder) => migratePglite(db, { migrationsFolder: folder }),
      close: () => client.close(),
    };
  }
  // Named like the test databases, so the run's teardown drops it even when this file fails.
  const name = `ticketops_${template.split('_').pop()}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const client = postgres(withDatabase(url, name), { max: 1, onnotice: () => {} });
  const db = drizzlePostgres(client);
  return {
    exec: async (q) => [...(await client.unsafe(q))],
    migrate: (folder) => migratePostgres(db, { migrationsFolder: folder }),
    close: async () => {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe('migration 0008_slack_claims', () => {
  it('renames slack_events.event_id to slack_claims.claim_key and keeps the claims already made', async () => {
    const db = await emptyDatabase();
    try {
      await db.migrate(migrationsBefore('0008_slack_claims'));
      await db.exec(
        `insert into slack_events (event_id, received_at) values ('event:Ev1', '2026-03-02T10:00:00Z')`,
      );
      await db.migrate(migrations);
      const rows = await db.exec('select claim_key, received_at from slack_claims');
      expect(rows.map((r) => [r.claim_key, new Date(String(r.received_at)).toISOString()])).toEqual([
        ['event:Ev1', '2026-03-02T10:00:00.000Z'],
      ]);
      // Still the primary key: a second claim of the same key conflicts.
      await expect(
        db.exec(`insert into slack_claims (claim_key, received_at) values ('event:Ev1', now())`),
      ).rejects.toThrow();
      const indexes = await db.exec(`select indexname from pg_indexes where tablename = 'slack_claims'`);
      expect(indexes.map((r) => r.indexname)).toContain('slack_claims_received_at_idx');
      expect(await db.exec(`select to_regclass('slack_events') as old`)).toEqual([{ old: null }]);
    } finally {
      await db.close();
    }
    // A cold database migrated twice: as slow as test/db/client.test.ts's cold starts.
  }, 120_000);
});
