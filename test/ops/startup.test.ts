import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../helpers/slack-fake.ts';
import { failedStart } from './server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticket-ops-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dataDir = () => join(dir, `data-${++n}`);

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('a bad start-up input is one JSON line naming what to fix, and exit code 1', () => {
  it.concurrent.each([
    ['a DATABASE_URL that is no URL', { DATABASE_URL: 'garbage' }, 'DATABASE_URL'],
    ['a DATABASE_URL of another database', { DATABASE_URL: 'mysql://root@db/tickets' }, 'DATABASE_URL'],
    ['a malformed Slack bot token', { SLACK_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN'],
    ['a bad PORT', { PORT: 'http' }, 'PORT'],
  ])('%s', async (_, env, variable) => {
    const { code, line } = await failedStart(env);
    expect(code).toBe(1);
    expect(line.msg).toContain(variable);
  });

  it('an unreachable DATABASE_URL, named without its password', async () => {
    const url = `postgres://postgres:s3cret@127.0.0.1:${await closedPort()}/tickets`;
    const { code, line } = await failedStart({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(line).toMatchObject({ variable: 'DATABASE_URL' });
    expect(line.msg).toMatch(
      /cannot connect to postgres:\/\/postgres@127\.0\.0\.1:\d+\/tickets: .*ECONNREFUSED/,
    );
    expect(JSON.stringify(line)).not.toContain('s3cret');
  });

  it('a DATA_DIR that cannot be a directory', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const { code, line } = await failedStart({ DATA_DIR: join(file, 'data') });
    expect(code).toBe(1);
    expect(line).toMatchObject({
      variable: 'DATA_DIR',
      msg: `DATA_DIR: ${join(file, 'data')} is not a directory`,
    });
  });

  it('a busy port, before the database is touched', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const { port } = taken.address() as { port: number };
    const data = dataDir();
    try {
      const { code, line } = await failedStart({ PORT: String(port), DATA_DIR: data });
      expect(code).toBe(1);
      expect(line).toMatchObject({
        variable: 'PORT',
        msg: `PORT: 127.0.0.1:${port} is already in use by another process`,
      });
      expect(existsSync(data)).toBe(false);
    } finally {
      await new Promise((done) => taken.close(done));
    }
  });

  it('a HOST that is not an address of this machine', async () => {
    // 192.0.2.0/24 is reserved for documentation: never a local address.
    const { code, line } = await failedStart({ HOST: '192.0.2.1', DATA_DIR: dataDir() });
    expect(code).toBe(1);
    expect(line).toMatchObject({
      variable: 'HOST',
      msg: 'HOST: 192.0.2.1 is not an address of this machine',
    });
  });

  it('a bot token Slack refuses (auth.test: invalid_auth), and the embedded database is left unlocked', async () => {
    const fake = await startFakeSlack();
    fake.failNext('auth.test', { error: 'invalid_auth' });
    const data = dataDir();
    try {
      const { code, line } = await failedStart({
        DATA_DIR: data,
        SLACK_BOT_TOKEN: 'xoxb-revoked',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: fake.apiUrl,
      });
      expect(code).toBe(1);
      expect(line).toMatchObject({ variable: 'SLACK_BOT_TOKEN' });
      expect(line.msg).toContain('invalid_auth');
      expect(existsSync(`${data}.lock`)).toBe(false);
      expect(existsSync(join(data, 'postmaster.pid'))).toBe(false);
    } finally {
      await fake.close();
    }
  }, 90_000);
});
