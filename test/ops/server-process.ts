import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { one } from '../helpers/rows.ts';

export type LogLine = { level: string; msg: string; [field: string]: unknown };

/**
 * The real server (src/main.ts, or `entry`) in a child process with only the given environment:
 * its stderr parsed as JSON lines, its exit code. Anything on stderr that is not a JSON line fails
 * the test: the log is the operator's interface.
 */
export function startServer(env: Record<string, string>, entry = 'src/main.ts') {
  const child: ChildProcess = spawn(
    process.execPath,
    entry.endsWith('.ts') ? ['--import', 'tsx', resolve(entry)] : [resolve(entry)],
    {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: LogLine[] = [];
  const stray: string[] = [];
  let buffer = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(text));
      } catch {
        stray.push(text);
      }
      nl = buffer.indexOf('\n');
    }
  });
  child.stdout?.on('data', (chunk: Buffer) => stray.push(chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

  return {
    lines,
    exited,
    /** Resolves with the first line `match` accepts (waiting for it), or fails if the process exits first. */
    async line(match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
      const started = Date.now();
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${JSON.stringify(lines)}`);
        if (Date.now() - started > timeoutMs) throw new Error(`no such line in ${JSON.stringify(lines)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** The base URL, once the server logs `listening`. */
    async base(): Promise<string> {
      const listening = await this.line((l) => l.msg === 'listening');
      return `http://127.0.0.1:${listening.port}`;
    },
    signal(name: NodeJS.Signals) {
      child.kill(name);
    },
    /** Asserts the log held JSON lines only. */
    onlyJson() {
      expect(stray.join('\n')).toBe('');
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The one line a failed start leaves, and its exit code. */
export async function failedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; line: LogLine }> {
  const server = startServer(env);
  const code = await server.exited;
  server.onlyJson();
  const errors = server.lines.filter((l) => l.level === 'error');
  expect(errors, JSON.stringify(server.lines)).toHaveLength(1);
  return { code, line: one(errors, 'error line') };
}

/**
 * A TCP port that is down (connections reset) until `up(port)` forwards it to a real server:
 * Slack unreachable, then reachable, at one URL.
 */
export async function flakyPort() {
  let target: number | undefined;
  const server: Server = createServer((socket) => {
    if (target === undefined) {
      socket.destroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    up(port: number) {
      target = port;
    },
    close: () => new Promise((done) => server.close(done)),
  };
}
