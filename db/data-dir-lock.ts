import {
  linkSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown when another process already owns the embedded data directory. */
export class DataDirLockedError extends Error {}

/** Lock files this process holds: "in use by this process" is known here, not guessed from a pid. */
const held = new Set<string>();
/** How often a holder touches its lock, so a holder whose processes cannot be seen is known alive. */
const HEARTBEAT_MS = 5_000;
/** A lock untouched this long, of a holder whose processes cannot be seen, is a dead holder's. */
const STALE_MS = 30_000;

/**
 * PGlite has no lock of its own and two processes on one directory lose data, so the first
 * process creates `<dir>.lock` naming itself; a lock left by a dead process is taken over.
 * A pid alone does not name a process: in a container every restart is PID 1 again, and pids are
 * reused. So the lock holds the pid with its start time, the boot id, the host name and the PID
 * namespace (see `holderAlive`), and its holder touches it while it lives. The lock appears
 * complete or not at all (a file linked into place), and a stale lock is moved aside before it is
 * replaced, so two processes taking over the same stale lock cannot both win.
 * Returns the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => void> {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = `${dataDir}.lock`;
  const mine = `${lockPath}.${process.pid}`;
  writeFileSync(mine, describe(process.pid));
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
      const alive = await holderAlive(holder, lockPath);
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
  /** Empty in locks from before they were recorded (and off Linux). */
  start: string;
  boot: string;
  host: string;
  pidns: string;
}

/** The lock's lines: pid, start time, boot id, host name, PID namespace. */
function describe(pid: number): string {
  return [pid, startTime(pid), bootId(), hostname(), pidNamespace()].join('\n');
}

function readLock(path: string): Holder | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    const [pid = '', start = '', boot = '', host = '', pidns = ''] = text.split('\n').map((l) => l.trim());
    return { text, pid: Number(pid) || 0, start, boot, host, pidns };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Who holds the lock, as the refusal names them, or undefined when the holder is gone.
 * - Its processes can be seen (same host and PID namespace, or a lock that does not say): this
 *   process knows its own locks, so a previous run with the same pid (PID 1 again after a container
 *   restart) is gone; otherwise it is gone after a reboot (boot id), when the pid is dead, or when
 *   the pid now belongs to a process started at another time.
 * - Another host, or another container's PID namespace, cannot be looked into: the holder lives
 *   while it keeps touching the lock, so a lock untouched for STALE_MS is taken over (a restarted
 *   container waits for its dead predecessor's lock to go stale) and one touched meanwhile is not.
 */
async function holderAlive(holder: Holder, lockPath: string): Promise<string | undefined> {
  const visible =
    (!holder.host || holder.host === hostname()) && (!holder.pidns || holder.pidns === pidNamespace());
  if (visible) {
    if (holder.pid === process.pid) return held.has(lockPath) ? 'this process' : undefined;
    if (holder.boot && holder.boot !== bootId()) return undefined;
    if (!isAlive(holder.pid)) return undefined;
    const start = startTime(holder.pid);
    return holder.start && start && holder.start !== start ? undefined : `process ${holder.pid}`;
  }
  const name = `process ${holder.pid} on ${holder.host} (another host or container)`;
  const touchedAt = mtime(lockPath);
  if (touchedAt === undefined) return undefined;
  while (Date.now() - touchedAt < STALE_MS) {
    await sleep(Math.min(1000, HEARTBEAT_MS / 2));
    const now = mtime(lockPath);
    if (now !== touchedAt) return now === undefined ? undefined : name;
  }
  return undefined;
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

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined; // released meanwhile
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

/** Linux facts about processes; empty where /proc does not exist (the lock then relies on the pid). */
function proc(read: () => string): string {
  try {
    return read();
  } catch {
    return '';
  }
}

/** A process's start time in clock ticks since boot, which a reused pid does not share. */
const startTime = (pid: number) =>
  proc(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  });
/** Changes with every boot; containers share their host's. */
const bootId = () => proc(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
/** Each container has its own: pids of another one mean nothing here. */
const pidNamespace = () => proc(() => readlinkSync('/proc/self/ns/pid'));
