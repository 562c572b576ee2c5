import { expect } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectOk, walkSpec } from './walk.ts';

const { api } = useApi({}, { perFile: true });

walkSpec(api, 'clientticket.filter', {
  base: async () => ({}),
  cases: {},
  extra: {
    'saves the conditions of the client list until reset': async (level) => {
      await api.w.openTicket({ name: 'Mail bounces' });
      await api.w.openTicket({ name: 'Disk full' });
      await expectOk(as(api, level).json('clientticket.filter', { name: 'mail', sok: 'ok' }));
      const rows = (await as(api, level).json('clientticket', {})).elem as DocNode[];
      expect(rows.map((r) => (r.name as DocNode).$)).toEqual(['Mail bounces']);
      await expectOk(as(api, level).json('clientticket.filter', { reset: 'on', sok: 'ok' }));
      expect(((await as(api, level).json('clientticket', {})).elem as DocNode[]).length).toBeGreaterThan(1);
    },
  },
});
