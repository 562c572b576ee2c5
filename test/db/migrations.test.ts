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

describe('migration 0011_queue_base_premium', () => {
  it("stores premium in queue_base, and triggers keep tickets.client_premium equal to the client's", async () => {
    const db = await emptyDatabase();
    try {
      await db.migrate(migrationsBefore('0011_queue_base_premium'));
      await db.exec(`insert into providers (id, name) values (1, 'P')`);
      await db.exec(
        `insert into departments (id, provider_id, name, regulation, calendar) values (1, 1, 'D', '{}', '{}')`,
      );
      await db.exec(
        `insert into clients (id, provider_id, name, premium) values (1, 1, 'Gold', true), (2, 1, 'Plain', false)`,
      );
      await db.exec(`insert into users (id, login, name, level) values (1, 'root', 'Root', 'root')`);
      const ticket = (id: number, client: number) =>
        `insert into tickets (id, client_id, created_by, department_id, name, priority, created_at, updated_at)
         values (${id}, ${client}, 1, 1, 'T${id}', 1, now(), now())`;
      await db.exec(ticket(1, 1));
      await db.exec(ticket(2, 2));
      await db.migrate(migrations);
      const bases = async () =>
        (await db.exec('select id, client_premium, queue_base from tickets order by id')).map((r) => [
          r.id,
          r.client_premium,
          r.queue_base,
        ]);
      // Tickets already there: the premium client's gains 500.
      expect(await bases()).toEqual([
        [1, true, 1501],
        [2, false, 1001],
      ]);
      // A new ticket takes its client's premium; a ticket moved to another client takes that one's.
      await db.exec(ticket(3, 1));
      await db.exec('update tickets set client_id = 2 where id = 1');
      // A client's premium changing reaches all its tickets; a ticket's own flag cannot be set apart.
      await db.exec('update clients set premium = true where id = 2');
      await db.exec('update tickets set client_premium = false where id = 2');
      expect(await bases()).toEqual([
        [1, true, 1501],
        [2, true, 1501],
        [3, true, 1501],
      ]);
      await db.exec('update clients set premium = false where id = 1');
      expect((await bases())[2]).toEqual([3, false, 1001]);
      const indexes = await db.exec(`select indexname from pg_indexes where tablename = 'tickets'`);
      expect(indexes.map((r) => r.indexname)).toEqual(
        expect.arrayContaining(['tickets_open_idx', 'tickets_open_queue_idx', 'tickets_status_queue_idx']),
      );
    } finally {
      await db.close();
    }
  }, 120_000);
});
