import { beforeEach, describe, expect, it } from 'vitest';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

/** People read the labels they see, never the functions' parameter names; every bad field at once. */
const { h } = useSlackHarness();
let id: number;
let card: Json[];
const at = { channel: 'CSUPPORT', ts: '1.1' };
beforeEach(async () => {
  id = await h.w.openTicket();
  await h.runJobs();
  card = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts)?.params.blocks as Json[];
  h.fake.clear();
});

async function openModal(user: string, action: string): Promise<Json> {
  await h.click(user, card, action, at);
  return h.fake.of('views.update').at(-1)?.params.view;
}

const INTERNAL = /Parameter|ticket_expense|client_priority|_\d|elid/;

describe('field errors speak the field label', () => {
  it('Charge: "Expense amount must be…", not "Parameter ticket_expense must be…"', async () => {
    const view = await openModal('UADMIN', 'card.charge');
    const res = await h.submit('UADMIN', view, { ticket_expense: 'lots' });
    const { errors } = res.json() as { errors: Record<string, string> };
    expect(errors.ticket_expense).toMatch(/^Expense amount must be/);
    expect(errors.ticket_expense).not.toMatch(INTERNAL);
  });

  it('a modal reports every bad field at once, each in its own words', async () => {
    const view = await openModal('UADMIN', 'card.priority');
    const res = await h.submit('UADMIN', view, {
      priority: '7',
      client_priority: '9',
      high_priority: 'keep',
    });
    const { errors } = res.json() as { errors: Record<string, string> };
    expect(Object.keys(errors).sort()).toEqual(['client_priority', 'priority']);
    expect(errors.priority).toMatch(/^Priority must be/);
    expect(errors.client_priority).toMatch(/^Client's priority must be/);
    for (const text of Object.values(errors)) expect(text).not.toMatch(INTERNAL);
  });

  it('a refusal outside a modal names the field as people know it', async () => {
    await h.command('UADMIN', '99999999999');
    const text = String(h.fake.last('response_url').params.text);
    expect(text).toMatch(/Ticket must be a positive integer/);
    expect(text).not.toMatch(INTERNAL);
    expect(id).toBeGreaterThan(0);
  });

  it('staff added from Slack are named by their Slack name, never by the login made for them', async () => {
    h.fake.addUser({ id: 'USTAFF2', name: 'Stella Staff', tz: 'UTC' });
    h.fake.workspace.channel('CSUPPORT')?.members.add('USTAFF2');
    await h.command('UROOT', 'staff add <@USTAFF2|stella> admin');
    const told = JSON.stringify(h.fake.calls.map((c) => c.params));
    expect(told).toContain('is now admin');
    expect(told).not.toMatch(/slack-ustaff2/i);
  });
});
