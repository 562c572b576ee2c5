import { useApi } from '../helpers/api.ts';
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
