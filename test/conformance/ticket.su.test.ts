import { expect } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectOk, walkSpec } from './walk.ts';

const { api } = useApi({}, { perFile: true });

walkSpec(api, 'ticket.su', {
  base: async () => ({ elid: String(await api.w.openTicket()) }),
  cases: {},
  extra: {
    'answers a client session with its level, as su does': async (level) => {
      const doc = await expectOk(
        as(api, level).json('ticket.su', { elid: String(await api.w.openTicket()) }),
      );
      const auth = doc.auth as DocNode;
      expect(auth.$level).toBe('16');
      const mine = await api.json({ func: 'clientticket', auth: auth.$id as string });
      expect(mine.p_elems).toBeDefined();
    },
  },
});
