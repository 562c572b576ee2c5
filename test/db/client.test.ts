import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { providers } from '../../db/schema.ts';

let dir: string;
let script: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ticket-ops-lock-'));
  // A second process that tries the same data directory and reports how it went (.mts: ESM outside the package).
  script = join(dir, 'open.mts');
  writeFileSync(
    script,
    `import { openDb } from ${JSON.stringify(resolve('db/client.ts'))};
try {
  const handle = await openDb({ dataDir: process.argv[2] });
  await handle.close();
  console.log('opened');
} catch (error) {
  console.log(\`\${error.constructor.name}: \${error.message}\`);
  process.exit(3);
}
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script in a new Node process (tsx loader), resolving with its exit code and output. */
function secondProcess(dataDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, out: out.trim() }));
  });
}

describe('the embedded data directory lock', () => {
  it('refuses a second process with a clear message while the first keeps working', async () => {
    const dataDir = join(dir, 'data');
    const first = await openDb({ dataDir });
    try {
      expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
      const second = await secondProcess(dataDir);
      expect(second.code).toBe(3);
      expect(second.out).toContain('DataDirLockedError');
      expect(second.out).toContain(`in use by process ${process.pid}`);
      expect(second.out).toContain('DATABASE_URL');
      // The refusal did not disturb the owner.
      await first.db.insert(providers).values({ name: 'Still here' });
      const rows = await first.db.select().from(providers);
      expect(rows.map((p) => p.name)).toEqual(['Still here']);
      expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 120_000);

  it('takes over a lock left by a process that died', async () => {
    const dataDir = join(dir, 'stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(dead).toBeGreaterThan(0);
    writeFileSync(`${dataDir}.lock`, String(dead));
    const handle = await openDb({ dataDir });
    try {
      expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
      await handle.db.execute(sql`select 1`);
    } finally {
      await handle.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 120_000);

  it('refuses a second open in the same process, and an empty lock file counts as stale', async () => {
    const dataDir = join(dir, 'same');
    const first = await openDb({ dataDir });
    try {
      await expect(openDb({ dataDir })).rejects.toThrow(/in use by this process/);
      await first.db.execute(sql`select 1`);
    } finally {
      await first.close();
    }
    writeFileSync(`${dataDir}.lock`, '');
    const again = await openDb({ dataDir });
    await again.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 120_000);
});
