import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../../db/rows.ts';
import { type User, users } from '../../../db/schema.ts';
import { invalid, missed } from '../errors.ts';
import { flagColumn, intColumn, textColumn } from '../list-columns.ts';
import { flag, text } from '../params.ts';
import type { RunContext } from '../types.ts';
import { login, newPasswordHash, passwordParams, refuseTaken, slackUser } from './common.ts';

/**
 * What client users (`user`) and staff (`admin`) share: a login, a name, a password (set or changed,
 * never shown; `no_password=on` removes it, leaving Slack or a key as the way in) and a Slack account.
 */
export const personFields = {
  login: login.optional(),
  name: text(200).optional(),
  ...passwordParams,
  passwd: passwordParams.passwd.optional(),
  no_password: flag.optional(),
  slack_user: slackUser.optional(),
};

type PersonParams = {
  login?: string;
  name?: string;
  passwd?: string;
  confirm?: string;
  no_password?: boolean;
  slack_user?: string;
};

/** The fields of a person as forms and lists show them: whether a password is set, never the password. */
export const personView = (u: User) => ({
  id: u.id,
  login: u.login,
  name: u.name,
  slack_user: u.slackUserId ?? undefined,
  password: u.passwordHash !== null,
  disabled: u.disabled,
});

/** `personView` as list columns, for the `user` and `admin` lists. */
export const personColumns = {
  id: intColumn(users.id),
  login: textColumn(users.login),
  name: textColumn(users.name),
  slack_user: textColumn(users.slackUserId),
  password: flagColumn(sql`${users.passwordHash} is not null`),
  disabled: flagColumn(users.disabled),
};

export async function loadPerson(ctx: RunContext, id: number) {
  return (await ctx.tx.select().from(users).where(eq(users.id, id)))[0];
}

/** Creates or updates a person; `fixed` are the fields the caller decides (level, client, email). */
export async function savePerson(
  ctx: RunContext,
  p: PersonParams,
  current: User | undefined,
  fixed: Pick<User, 'level' | 'clientId'> & { email?: string | null },
): Promise<User> {
  const loginName = p.login ?? current?.login;
  if (!loginName) throw missed('login', 'Parameter login is required');
  if (p.no_password && p.passwd !== undefined)
    throw invalid('no_password', 'Give a password or no_password=on, not both');
  await refuseTaken(ctx.tx, { login: p.login, slack_user: p.slack_user }, current?.id);
  const hash = await newPasswordHash(p);
  const values = {
    login: loginName,
    name: p.name ?? current?.name ?? loginName,
    ...fixed,
    ...(hash ? { passwordHash: hash } : p.no_password ? { passwordHash: null } : {}),
    ...(p.slack_user ? { slackUserId: p.slack_user } : {}),
    disabled: false,
  };
  const rows = current
    ? await ctx.tx.update(users).set(values).where(eq(users.id, current.id)).returning()
    : await ctx.tx.insert(users).values(values).returning();
  return one(rows, 'user');
}

export const email = z.email('must be an e-mail address').max(300);
