import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../../db/rows.ts';
import { users } from '../../../db/schema.ts';
import { invalid, missed } from '../errors.ts';
import { text } from '../params.ts';
import { ROOT, slackUser } from '../provisioning/common.ts';
import { defineFunction, STAFF } from '../types.ts';
import { slackLogin } from './slack-ids.ts';

/**
 * `/ticket staff add @user [admin|root]`: makes a Slack user staff, creating their account or raising
 * an existing staff account. A client user's Slack account never becomes staff; the Slack door
 * refuses external (Slack Connect) users before the call, as only Slack knows who they are.
 */
export const slackStaffAdd = defineFunction({
  name: 'slack.staff.add',
  access: ROOT,
  params: z.object({
    slack_user: slackUser,
    name: text(200),
    level: z.enum(['admin', 'root'], { message: 'must be admin or root' }).default('admin'),
    timezone: text(64).optional(),
  }),
  async run(ctx, p) {
    const [existing] = await ctx.tx.select().from(users).where(eq(users.slackUserId, p.slack_user));
    if (existing?.level === 'user')
      throw invalid('slack_user', `${existing.name} is linked to a client account and cannot be staff`);
    const values = {
      name: p.name,
      level: p.level,
      disabled: false,
      ...(p.timezone ? { timezone: p.timezone } : {}),
    };
    const rows = existing
      ? await ctx.tx.update(users).set(values).where(eq(users.id, existing.id)).returning()
      : await ctx.tx
          .insert(users)
          .values({ login: slackLogin(p.slack_user), slackUserId: p.slack_user, ...values })
          .returning();
    const row = one(rows, 'staff user');
    return { kind: 'ok', id: row.id, name: row.name, tickets: [] };
  },
});

/**
 * `/ticket staff remove @user`: takes staff rights away (the account stays for the audit log and
 * ticket history). The last active root stays: without one nobody could manage staff from Slack.
 */
export const slackStaffRemove = defineFunction({
  name: 'slack.staff.remove',
  access: ROOT,
  params: z.object({ slack_user: slackUser }),
  async run(ctx, p) {
    // Locks the active roots, so two roots removing each other at once cannot both succeed.
    const roots = await ctx.tx
      .select({ slackUserId: users.slackUserId })
      .from(users)
      .where(and(eq(users.level, 'root'), eq(users.disabled, false)))
      .for('update');
    if (roots.length === 1 && roots[0]?.slackUserId === p.slack_user)
      throw invalid('slack_user', 'You are the last root: make someone else root first');
    const [row] = await ctx.tx
      .update(users)
      .set({ disabled: true })
      .where(and(eq(users.slackUserId, p.slack_user), inArray(users.level, STAFF)))
      .returning();
    if (!row) throw missed('slack_user', 'That user is not staff', p.slack_user);
    return { kind: 'ok', id: row.id, name: row.name, tickets: [] };
  },
});
