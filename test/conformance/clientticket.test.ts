import { useApi } from '../helpers/api.ts';
import { column, conversation, walkSpec } from './walk.ts';

const { api } = useApi({}, { perFile: true });

const col = (key: string) => async () => {
  await conversation(api);
  await column(api, 'user', 'clientticket', {}, key);
};

walkSpec(api, 'clientticket', {
  base: async () => ({}),
  cases: {
    id: col('id'),
    name: col('name'),
    last_message: col('last_message'),
    wait_time: col('wait_time'),
    create_user: col('create_user'),
    tstatus: col('tstatus'),
  },
});
