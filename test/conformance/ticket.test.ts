import { expect } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { t, useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { column, walkSpec } from './walk.ts';

const { api } = useApi({}, { perFile: true });

/** A ticket that fills every column: waiting, unread, assigned, with a deadline. */
async function filled() {
  const w = api.w;
  const id = await w.openTicket();
  await w.run(w.as.root, 'ticket.edit', { elid: String(id), responsible: String(w.ids.admin.id), sok: 'ok' });
  await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Again', sok: 'ok' });
  return {};
}
const col = (key: string) => async (level: 'root' | 'admin' | 'user') => {
  await filled();
  await column(api, level, 'ticket', {}, key);
};

walkSpec(api, 'ticket', {
  base: async () => ({}),
  extra: {
    // As BILLmanager shows it: who took the lock, and when (the world's clock stands at 10:00).
    'blocked_by names who opened the ticket and when': async (level) => {
      const id = await api.w.openTicket();
      await api.w.run(api.w.as.admin, 'ticket.edit', { elid: String(id) });
      const rows = (await as(api, level).json('ticket', {})).elem as DocNode[];
      const row = rows.find((r) => t(r.id) === String(id));
      expect(t(row?.blocked_by)).toBe('Adam Admin, 2026-03-02 10:00:00');
    },
  },
  cases: {
    ticket: col('ticket'),
    name: col('name'),
    client: col('client'),
    delay: col('delay'),
    deadline: col('deadline'),
    responsible: col('responsible'),
    project: col('project'),
    queue: col('queue'),
    // props: each property its own flag column, present when on (unread here).
    props: col('unread'),
  },
});
