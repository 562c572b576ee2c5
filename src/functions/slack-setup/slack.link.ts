import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../../db/rows.ts';
import { linkCodes, users } from '../../../db/schema.ts';
import { invalid, missed } from '../errors.ts';
import { text } from '../params.ts';
import { login } from '../provisioning/common.ts';
import { defineFunction, STAFF } from '../types.ts';
import { callerSlackUser } from './slack-ids.ts';

const CODE_TTL_MS = 24 * 60 * 60_000;

/**
 * `/ticket link LOGIN`: a one-time code a staff member hands to a client user, so that they can link
 * their Slack account with `/support link CODE` (slack.link). The code is in the result, never in
 * the audit log.
 */
export const slackLinkcode = defineFunction({
  name: 'slack.linkcode',
  access: STAFF,
  params: z.object({ login }),
  async run(ctx, p) {
    const [user] = await ctx.tx.select().from(users).where(eq(users.login, p.login));
    if (!user) throw missed('login', `No user with login ${p.login}`, p.login);
    if (user.level !== 'user')
      throw invalid('login', `${p.login} is staff; add staff with /ticket staff add`, p.login);
    const code = randomBytes(6).toString('base64url').toUpperCase();
    await ctx.tx
      .insert(linkCodes)
      .values({ code, userId: user.id, expiresAt: new Date(ctx.now.getTime() + CODE_TTL_MS) });
    return { kind: 'ok', id: user.id, name: user.name, code, tickets: [] };
  },
});

/**
 * `/support link CODE`: links the caller's Slack account to the code's client user and spends the
 * code. Callers without an account (guests) and client users may; staff keep their own account.
 */
export const slackLink = defineFunction({
  name: 'slack.link',
  access: ['guest', 'user'],
  params: z.object({ code: text(64) }),
  async run(ctx, p) {
    const slackUserId = callerSlackUser(ctx, 'code');
    const [row] = await ctx.tx.delete(linkCodes).where(eq(linkCodes.code, p.code.toUpperCase())).returning();
    if (!row || row.expiresAt <= ctx.now) throw invalid('code', 'This link code is unknown or has expired');
    const [taken] = await ctx.tx.select().from(users).where(eq(users.slackUserId, slackUserId));
    if (taken && taken.id !== row.userId)
      throw invalid('code', `Your Slack account is already linked to ${taken.login}`);
    // The code's user exists: link codes go with their user.
    const linked = one(
      await ctx.tx.update(users).set({ slackUserId }).where(eq(users.id, row.userId)).returning(),
      'linked user',
    );
    return { kind: 'ok', id: linked.id, name: linked.name, tickets: [] };
  },
});
