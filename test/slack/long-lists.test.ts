import { beforeEach, describe, expect, it } from 'vitest';
import { findElement, type Json, useSlackHarness } from '../helpers/slack-harness.ts';

/** Long lists never drop what matters silently: they page, or say "N more" with a way to see them. */
const { h } = useSlackHarness();
let id: number;
let card: Json[];
const at = { channel: 'CSUPPORT', ts: '1.1' };

beforeEach(async () => {
  id = await h.w.openTicket({ message: 'The original problem: my VPS does not boot' });
  await h.runJobs();
  card = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts)?.params.blocks as Json[];
  h.fake.clear();
});

/** The client writes `n` more messages in the ticket. */
async function clientWrites(n: number) {
  for (let i = 1; i <= n; i++)
    await h.w.run(h.w.as.alice, 'clientticket.edit', {
      elid: String(id),
      message: `follow-up ${i}`,
      sok: 'ok',
    });
}

const text = (blocks: Json[]) => JSON.stringify(blocks);

describe('long lists page', () => {
  it('the Messages modal keeps the first message and pages through the rest', async () => {
    await clientWrites(40);
    await h.click('UADMIN', card, 'card.messages', at);
    const view = h.lastView();
    expect(text(view.blocks)).toContain('The original problem');
    expect(text(view.blocks)).toContain('follow-up 40');
    expect(text(view.blocks)).toContain('10 earlier messages');
    expect(text(view.blocks)).not.toContain('follow-up 10"');
    await h.click('UADMIN', view.blocks, 'messages.page.earlier', { view: { ...view, id: 'V-messages' } });
    const earlier = h.lastView();
    expect(h.fake.last('views.update').params.view_id).toBe('V-messages');
    expect(text(earlier.blocks)).toContain('The original problem');
    expect(text(earlier.blocks)).toContain('follow-up 1"');
    expect(text(earlier.blocks)).toContain('30 newer messages');
    expect(text(earlier.blocks)).not.toContain('follow-up 40');
  });

  it('a count of one is singular', async () => {
    await clientWrites(31);
    await h.click('UADMIN', card, 'card.messages', at);
    expect(text(h.lastView().blocks)).toContain('1 earlier message"');
  });

  it("a client's ticket keeps the first message and pages through the rest", async () => {
    await clientWrites(30);
    await h.command('UALICE', String(id), { command: '/support', channel: 'CSUPPORT' });
    const shown = h.fake.last('response_url').params.blocks as Json[];
    expect(text(shown)).toContain('The original problem');
    expect(text(shown)).toContain('follow-up 30');
    expect(text(shown)).toContain('10 earlier messages');
    await h.click('UALICE', shown, 'client.ticket.earlier');
    const earlier: Json = h.fake.last('response_url').params;
    expect(earlier.replace_original).toBe(true);
    expect(text(earlier.blocks)).toContain('follow-up 1"');
    expect(text(earlier.blocks)).toContain('20 newer messages');
  });

  it('the client view (Log in as client) pages through all of the client’s tickets', async () => {
    for (let i = 0; i < 20; i++) await h.w.openTicket({ name: `Ticket number ${i}` });
    await h.click('UADMIN', card, 'card.su', at);
    const view = h.lastView();
    expect(text(view.blocks)).toContain('21 tickets');
    const next = findElement(view.blocks, 'clientview.page.next');
    expect(next.value).toBe(`${id}:2`);
    await h.click('UADMIN', view.blocks, 'clientview.page.next', { view: { ...view, id: 'V-client' } });
    const second = h.lastView();
    expect(text(second.blocks)).toContain('page 2 of 2');
    expect(findElement(second.blocks, 'clientview.page.previous').value).toBe(`${id}:1`);
  });
});
