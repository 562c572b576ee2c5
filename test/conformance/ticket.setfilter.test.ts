import { expect } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { api } = useApi({}, { perFile: true });

walkSpec(api, 'ticket.setfilter', {
  base: async () => ({ elid: String(api.w.ids.acme.id) }),
  cases: {
    // Client ids: the queue then shows only their tickets, until changed.
    elid: async (level) => {
      await api.w.openTicket();
      await api.w.run(api.w.as.root, 'ticket.edit', {
        client: String(api.w.ids.globex.id),
        name: 'Globex',
        message: 'x',
        sok: 'ok',
      });
      await expectOk(as(api, level).json('ticket.setfilter', { elid: String(api.w.ids.globex.id) }));
      const rows = (await as(api, level).json('ticket', {})).elem as DocNode[];
      expect(new Set(rows.map((r) => (r.client as DocNode).$))).toEqual(new Set(['Globex']));
      await expectError(as(api, level).json('ticket.setfilter', { elid: '999999' }), 'missed', 'elid');
      await expectOk(as(api, level).json('ticket.filter', { reset: 'on', sok: 'ok' }));
    },
  },
});
