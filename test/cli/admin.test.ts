import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { auditLog, users } from '../../db/schema.ts';
import { admin } from '../../src/cli/admin.ts';
import { type Io, UsageError } from '../../src/cli/run.ts';
import type { Deps } from '../../src/functions/types.ts';
import { verifyPassword } from '../../src/passwords.ts';
import { refused } from '../functions/support.ts';
import { firstOf } from '../helpers/rows.ts';
import { useTestDb } from '../helpers/setup.ts';

const db = useTestDb();
beforeEach(() => db.reset());

async function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l) };
  const deps: Deps = { db: db.db, now: () => new Date(), settings: { lockMinutes: 30 } };
  await admin(deps, argv, io, async () => stdin);
  return out;
}

describe('npm run admin', () => {
  it('creates the first root on an empty database, with the password from standard input', async () => {
    expect(await run(['create-root', '--login', 'boss', '--name', 'Big Boss'], 'a long secret\n')).toEqual([
      'Root boss created (id 1).',
    ]);
    const boss = firstOf(await db.db.select().from(users).where(eq(users.login, 'boss')));
    expect(boss).toMatchObject({ level: 'root', name: 'Big Boss' });
    expect(await verifyPassword('a long secret', boss.passwordHash)).toBe(true);
    // Audited as the command line, with no secret in it.
    const [audit] = await db.db.select().from(auditLog);
    expect(audit).toMatchObject({ actor: 'cli', actorId: null, via: 'cli', func: 'admin.edit' });
    expect(JSON.stringify(audit)).not.toContain('secret');
    await refused(run(['create-root', '--login', 'boss', '--password', 'another secret']), 'exists', 'login');
  });

  it('resets a password and lists accounts without showing passwords', async () => {
    await run(['create-root', '--login', 'boss', '--password', 'a long secret']);
    expect(await run(['reset-password', '--login', 'boss', '--password', 'the new one'])).toEqual([
      'Password of boss changed.',
    ]);
    const boss = firstOf(await db.db.select().from(users).where(eq(users.login, 'boss')));
    expect(await verifyPassword('the new one', boss.passwordHash)).toBe(true);
    await refused(run(['reset-password', '--login', 'nobody', '--password', 'whatever1']), 'missed', 'login');
    const listed = await run(['list']);
    expect(listed).toEqual([expect.stringMatching(/^\s+1 {2}boss\s+root$/)]);
  });

  it('refuses unknown commands and options as usage mistakes', async () => {
    await expect(run(['bogus'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['list', '--nope'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['create-root'])).rejects.toThrow('create-root needs --login');
  });

  it('leaves an embedded database in use by another process alone, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ticket-ops-admin-'));
    const held = await openDb({ dataDir: join(dir, 'data') });
    try {
      const result = await promisify(execFile)('npx', ['tsx', 'src/cli/admin.ts', 'list'], {
        env: { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '' },
      }).catch((e: { code: number; stderr: string }) => e);
      expect(result).toMatchObject({ code: 1 });
      expect((result as { stderr: string }).stderr).toContain(`is in use by process ${process.pid}`);
    } finally {
      await held.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
