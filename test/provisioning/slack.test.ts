import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { departments, users } from '../../db/schema.ts';
import { firstOf } from '../helpers/rows.ts';
import { useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const answer = () => (h.fake.last('response_url').params as { text: string }).text;

describe('/ticket provisioning for roots', () => {
  it('adds a department and gives an admin the departments they see', async () => {
    await h.command('UADMIN', 'department add Night shift');
    expect(answer()).toContain('Only root');
    await h.command('UROOT', `department add ${h.w.ids.provider.id}: Night shift`);
    const dep = firstOf(await db.db.select().from(departments).where(eq(departments.name, 'Night shift')));
    expect(dep.providerId).toBe(h.w.ids.provider.id);
    expect(answer()).toContain(`Department Night shift is ${dep.id}`);

    await h.w.openTicket();
    const moved = String(await h.w.openTicket());
    await h.w.run(h.w.as.root, 'ticket.edit', {
      elid: moved,
      client_department: String(h.w.ids.paid.id),
      sok: 'ok',
    });
    await h.command('UADMIN', '');
    expect(answer()).toBe('Ticket queue: 1 ticket');
    await h.command('UROOT', `staff works <@UADMIN|adam> ${h.w.ids.support.id},${h.w.ids.paid.id}`);
    expect(answer()).toContain(`now works departments ${h.w.ids.support.id},${h.w.ids.paid.id}`);
    await h.command('UADMIN', '');
    expect(answer()).toBe('Ticket queue: 2 tickets');
    await h.command('UROOT', 'staff works <@UCOLL|carl> 1');
    expect(answer()).toContain('is not staff');
  });

  it('links a client user to a Slack account, refusing one linked elsewhere', async () => {
    await h.command('UROOT', 'user link <@UCOLL|carl> bob');
    expect(answer()).toContain('now acts as bob of Globex');
    const bob = firstOf(await db.db.select().from(users).where(eq(users.login, 'bob')));
    expect(bob.slackUserId).toBe('UCOLL');
    await h.command('UROOT', 'user link <@UADMIN|adam> bob');
    expect(answer()).toContain('Slack user UADMIN is already linked to admin');
    await h.command('UROOT', 'user link <@UCOLL|carl> nobody');
    expect(answer()).toContain('No client user has the login nobody');
  });

  it('shows an admin the digest of the departments they work only', async () => {
    await h.command('UADMIN', `digest ${h.w.ids.paid.id}`);
    expect(answer()).toContain(`You do not work department ${h.w.ids.paid.id}`);
  });
});
