import { useApi } from '../helpers/api.ts';
import { as, type Level } from './spec.ts';
import { column, conversation, expectError, walkSpec } from './walk.ts';

const { api } = useApi({}, { perFile: true });

const col = (key: string) => async (level: Level) => {
  const c = await conversation(api);
  await column(api, level, 'ticket.message', { elid: c.id }, key);
};

walkSpec(api, 'ticket.message', {
  base: async () => ({ elid: (await conversation(api)).id }),
  cases: {
    elid: async (level) => {
      await col('id')(level);
      await expectError(as(api, level).json('ticket.message', {}), 'missed', 'elid');
      await expectError(as(api, level).json('ticket.message', { elid: '999999' }), 'missed', 'elid');
    },
    id: col('id'),
    message: col('message'),
    date_post: col('date_post'),
    message_user: col('message_user'),
  },
});
