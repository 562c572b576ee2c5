import { describe, expect, it } from 'vitest';
import { useTestWorld } from '../helpers/setup.ts';

const { w } = useTestWorld();

describe('smoke', () => {
  it('client opens, staff lists, opens, replies, closes, client archives', async () => {
    const id = await w.openTicket();
    const list = await w.run(w.as.admin, 'ticket');
    expect(list.kind).toBe('list');
    if (list.kind !== 'list') return;
    expect(list.rows.map((r) => r.id)).toEqual([id]);
    expect(list.rows[0]).toMatchObject({ unread: true, tstatus: '0', client: 'ACME Ltd', delay: '0d+00:00' });
    const form = await w.run(w.as.admin, 'ticket.edit', { elid: String(id) });
    expect(form.kind).toBe('form');
    await w.run(w.as.admin, 'ticket.edit', {
      elid: String(id),
      message: 'Rebooted it',
      note_message: 'was OOM',
      sok: 'ok',
    });
    const client = await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) });
    if (client.kind !== 'form') throw new Error('form expected');
    expect(client.messages?.map((m) => m.body)).toEqual(['My VPS does not boot', 'Rebooted it']);
    await w.run(w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
    await w.run(w.as.alice, 'clientticket.archive', { elid: String(id), sok: 'ok' });
    const mine = await w.run(w.as.alice, 'clientticket');
    expect(mine.kind === 'list' && mine.rows.length).toBe(0);
  });
});
