import { type ChildProcess, spawn } from 'node:child_process';

/** Children still running: a benchmark that fails half-way must not leave a server on its port. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Spawns a Node process (`args` after `node`) and keeps the tail of what it prints (stdout and
 * stderr), for the error when it exits before it should.
 */
export function spawnNode(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const died = () =>
    new Error(`${args.join(' ')} exited with ${child.exitCode ?? child.signalCode}:\n${tail}`);
  return { child, died };
}

/** SIGTERM (main.ts then closes its database), SIGKILL after 10 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
