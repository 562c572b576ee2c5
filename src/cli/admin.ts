import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { missed } from '../functions/errors.ts';
import { call } from '../functions/registry.ts';
import type { Deps, Row } from '../functions/types.ts';
import { CLI_SESSION, type Io, runCli, UsageError } from './run.ts';

export const ADMIN_USAGE = `Usage: npm run admin -- COMMAND [options]

  create-root --login LOGIN [--name NAME] [--password PASSWORD] [--slack-user U…]
      a root account (the first one on an empty database); without --password, the first line of
      standard input is the password (so it stays out of the shell history)
  reset-password --login LOGIN [--password PASSWORD]
      sets a staff member's or client user's password (standard input as above)
  list
      every account: staff with their level and departments, client users with their account

Works on the database the server uses: DATABASE_URL, else the embedded DATA_DIR (stop the server
first: the embedded database serves one process at a time).`;

/** `npm run admin -- …`: the command line's door to the provisioning functions. */
export async function admin(deps: Deps, argv: string[], io: Io, stdin: () => Promise<string>): Promise<void> {
  const { positionals, values } = parse(argv);
  const [command] = positionals;
  const password = async () => values.password ?? (await stdin()).split(/\r?\n/)[0] ?? '';
  if (command === 'create-root') {
    if (!values.login) throw new UsageError('create-root needs --login');
    const result = await call(deps, CLI_SESSION, 'admin.edit', {
      login: values.login,
      ...(values.name ? { name: values.name } : {}),
      ...(values['slack-user'] ? { slack_user: values['slack-user'] } : {}),
      level: 'root',
      passwd: await password(),
      sok: 'ok',
    });
    io.out(`Root ${values.login} created (id ${result.kind === 'ok' ? result.id : '?'}).`);
    return;
  }
  if (command === 'reset-password') {
    if (!values.login) throw new UsageError('reset-password needs --login');
    const [user] = await deps.db.select().from(users).where(eq(users.login, values.login));
    if (!user) throw missed('login', `No account has the login ${values.login}`, values.login);
    const func = user.level === 'user' ? 'user.edit' : 'admin.edit';
    await call(deps, CLI_SESSION, func, { elid: String(user.id), passwd: await password(), sok: 'ok' });
    io.out(`Password of ${values.login} changed.`);
    return;
  }
  if (command === 'list') {
    for (const row of await everyRow(deps, 'admin'))
      io.out(line(row, `${row.level}${row.departments ? ` departments ${row.departments}` : ''}`));
    for (const row of await everyRow(deps, 'user')) io.out(line(row, `user of ${row.account}`));
    return;
  }
  throw new UsageError(command ? `Unknown command ${command}` : 'Name a command');
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        login: { type: 'string' },
        name: { type: 'string' },
        password: { type: 'string' },
        'slack-user': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function everyRow(deps: Deps, func: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const list = await call(deps, CLI_SESSION, func, { p_num: String(page), p_cnt: '1000' });
    if (list.kind !== 'list') return rows;
    rows.push(...list.rows);
    if (page * list.page.cnt >= list.page.elems) return rows;
  }
}

const line = (row: Row, what: string) =>
  [
    String(row.id).padStart(6),
    String(row.login).padEnd(24),
    what,
    row.password ? '' : '(no password)',
    row.slack_user ? `slack ${row.slack_user}` : '',
    row.disabled ? 'DISABLED' : '',
  ]
    .filter(Boolean)
    .join('  ');

/** The first line of standard input: a password piped in, or typed after the prompt. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const first of lines) {
    lines.close();
    return first;
  }
  return '';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runCli(ADMIN_USAGE, (deps, io) => admin(deps, process.argv.slice(2), io, readStdin));
}
