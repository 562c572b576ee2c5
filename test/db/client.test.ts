import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
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

/** The pid a lock names (its first line). */
const lockPid = (dataDir: string) => Number(readFileSync(`${dataDir}.lock`, 'utf8').split('\n')[0]);
/** Field 22 of /proc/PID/stat, as the lock records it; undefined off Linux. */
function startTime(pid: number): string | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}
const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('the embedded data directory lock', () => {
  it('refuses a second process with a clear message while the first keeps working', async () => {
    const dataDir = join(dir, 'data');
    const first = await openDb({ dataDir });
    try {
      expect(lockPid(dataDir)).toBe(process.pid);
      const second = await secondProcess(dataDir);
      expect(second.code).toBe(3);
      expect(second.out).toContain('DataDirLockedError');
      expect(second.out).toContain(`in use by process ${process.pid}`);
      expect(second.out).toContain('DATABASE_URL');
      // The refusal did not disturb the owner.
      await first.db.insert(providers).values({ name: 'Still here' });
      const rows = await first.db.select().from(providers);
      expect(rows.map((p) => p.name)).toEqual(['Still here']);
      expect(lockPid(dataDir)).toBe(process.pid);
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
      expect(lockPid(dataDir)).toBe(process.pid);
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

  it('takes over a lock naming this very pid from an earlier run (a container restarted as PID 1)', async () => {
    const dataDir = join(dir, 'restarted');
    // What a container's previous PID 1 left after kill -9: the old format, and the new one.
    for (const lock of [String(process.pid), `${process.pid}\n1\n${'x'.repeat(36)}\n${hostname()}`]) {
      writeFileSync(`${dataDir}.lock`, lock);
      const handle = await openDb({ dataDir });
      expect(lockPid(dataDir)).toBe(process.pid);
      await handle.close();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    }
  }, 120_000);

  it.runIf(startTime(process.pid))(
    'a live pid counts only while it is the process that took the lock (pids are reused)',
    async () => {
      const dataDir = join(dir, 'reused');
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
      const pid = other.pid as number;
      try {
        const lock = (start: string) => [pid, start, bootId(), hostname()].join('\n');
        writeFileSync(`${dataDir}.lock`, lock(String(Number(startTime(pid)) - 1)));
        const handle = await openDb({ dataDir });
        await handle.close();
        writeFileSync(`${dataDir}.lock`, lock(startTime(pid) as string));
        await expect(openDb({ dataDir })).rejects.toThrow(`in use by process ${pid}.`);
      } finally {
        other.kill('SIGKILL');
        rmSync(`${dataDir}.lock`, { force: true });
      }
    },
    120_000,
  );

  it('a lock from another host or container counts while its holder keeps touching it', async () => {
    const dataDir = join(dir, 'shared');
    writeFileSync(`${dataDir}.lock`, `1\n12345\n${'b'.repeat(36)}\nother-container\npid:[1]`);
    // Its holder's processes cannot be seen: alive is what keeps touching the lock.
    const heartbeat = setInterval(() => utimesSync(`${dataDir}.lock`, new Date(), new Date()), 200);
    try {
      await expect(openDb({ dataDir })).rejects.toThrow(/in use by process 1 on other-container/);
    } finally {
      clearInterval(heartbeat);
    }
    const stopped = new Date(Date.now() - 60_000);
    utimesSync(`${dataDir}.lock`, stopped, stopped);
    const handle = await openDb({ dataDir });
    expect(lockPid(dataDir)).toBe(process.pid);
    await handle.close();
  }, 120_000);
});
