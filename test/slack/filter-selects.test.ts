import { describe, expect, it } from 'vitest';
import { clients } from '../../db/schema.ts';
import { slackDelivery } from '../../src/sandbox/deliver.ts';
import { externalSelectInput } from '../../src/slack/views/blocks.ts';
import { type Json, SECRET, useSlackHarness } from '../helpers/slack-harness.ts';

/** The filter picks clients with Slack's searchable select, served by the app and scoped to the viewer. */
const { db, h } = useSlackHarness();

/** Slack asking the app for a select's options as the person types (block_suggestion). */
async function suggest(user: string, value: string): Promise<string[]> {
  const res = await h.signed.interaction({
    type: 'block_suggestion',
    user: { id: user, team_id: h.fake.team },
    team: { id: h.fake.team },
    api_app_id: 'A0APP',
    token: 'legacy',
    action_id: 'clients.search',
    block_id: 'client',
    value,
    container: { type: 'view', view_id: 'V-filter' },
    view: { id: 'V-filter', callback_id: 'filter', type: 'modal' },
  });
  expect(res.status).toBe(200);
  return ((res.json() as Json)?.options ?? []).map((o: Json) => o.text.text);
}

async function openFilter(): Promise<Json> {
  await h.command('UADMIN', 'filter');
  return h.lastView();
}

describe('filter modal selects', () => {
  it('clients are a searchable multi-select served by the app; departments a static select', async () => {
    const view = await openFilter();
    const client = view.blocks.find((b: Json) => b.block_id === 'client');
    expect(client.element).toMatchObject({ type: 'multi_external_select', action_id: 'clients.search' });
    expect(JSON.stringify(view)).not.toContain('comma separated');
    expect(view.blocks.find((b: Json) => b.block_id === 'department').element.type).toBe('static_select');
  });

  it('the new-ticket modal searches clients the same way, however many there are', async () => {
    await h.command('UADMIN', 'new');
    const client = h.lastView().blocks.find((b: Json) => b.block_id === 'client');
    expect(client.element).toMatchObject({ type: 'external_select', action_id: 'clients.search' });
  });

  it('the options: staff only, each only the clients they may see', async () => {
    await db.db.insert(clients).values({ name: 'Acme Far Away', providerId: h.w.ids.other.id });
    expect(await suggest('UADMIN', 'acme')).toEqual([`ACME Ltd (#${h.w.ids.acme.id})`]);
    expect((await suggest('UROOT', 'acme')).sort()).toEqual(
      [`ACME Ltd (#${h.w.ids.acme.id})`, expect.stringContaining('Acme Far Away')].sort(),
    );
    expect(await suggest('UALICE', 'acme')).toEqual([]);
    expect(await suggest('USTRANGER', '')).toEqual([]);
  });

  it('chosen clients are saved by id and shown by name', async () => {
    const view = await openFilter();
    const state: Record<string, Record<string, Json>> = {
      client: {
        'clients.search': {
          type: 'multi_external_select',
          selected_options: [
            { value: String(h.w.ids.acme.id), text: { type: 'plain_text', text: 'ACME Ltd' } },
          ],
        },
      },
    };
    const res = await h.signed.interaction({
      type: 'view_submission',
      user: { id: 'UADMIN', team_id: h.fake.team },
      team: { id: h.fake.team },
      api_app_id: 'A0APP',
      token: 'legacy',
      trigger_id: h.fake.trigger('UADMIN'),
      view: { ...view, id: 'V-filter', hash: 'h', state: { values: state } },
    });
    expect(res.status).toBe(200);
    await h.command('UADMIN', '');
    const shown = JSON.stringify(h.fake.last('response_url').params.blocks);
    expect(shown).toContain('client ACME Ltd');
    const again = await openFilter();
    const client = again.blocks.find((b: Json) => b.block_id === 'client');
    expect(client.element.initial_options).toEqual([
      { text: expect.objectContaining({ text: 'ACME Ltd' }), value: String(h.w.ids.acme.id) },
    ]);
  });
});

describe('the sandbox plays the searchable select', () => {
  it("opening the select asks the app's options endpoint, signed, as Slack does", async () => {
    await openFilter();
    const shown = [...h.fake.workspace.views.entries()].find(([, v]) => v.view.callback_id === 'filter');
    if (!shown) throw new Error('the filter modal is not shown');
    const deliver = slackDelivery(h.fake, SECRET, () => h.endpoint);
    const answer = await deliver.options(
      'UADMIN',
      shown[0],
      {},
      {
        block_id: 'client',
        action_id: 'clients.search',
        value: 'glob',
      },
    );
    expect(answer.options.map((o: Json) => o.text.text)).toEqual([`Globex (#${h.w.ids.globex.id})`]);
  });

  it('the page draws it as a search box over the chosen options', async () => {
    const { renderBlocks, createRegistry } = (await import(
      '../../src/sandbox/assets/blocks.js' as string
    )) as {
      renderBlocks: (blocks: unknown[], ctx: unknown, registry: unknown) => string;
      createRegistry: () => unknown;
    };
    const html = renderBlocks(
      [
        externalSelectInput('client', 'Clients', 'clients.search', {
          multi: true,
          initial: [{ text: { type: 'plain_text', text: 'ACME Ltd' }, value: '1' }],
        }),
      ],
      { names: {}, tz: 'UTC' },
      createRegistry(),
    );
    expect(html).toContain('bk-external-search');
    expect(html).toContain('<option value="1" selected>ACME Ltd</option>');
    expect(html).not.toContain('cannot be shown here');
  });
});
