import { expect } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { t, useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectOk, walkSpec } from './walk.ts';

const { api } = useApi({}, { perFile: true });

walkSpec(api, 'ticket.filter', {
  base: async () => ({}),
  cases: {
    reset: async (level) => {
      await expectOk(as(api, level).json('ticket.filter', { name: 'zzz', sok: 'ok' }));
      expect(t((await as(api, level).json('ticket.filter', {})).name)).toBe('zzz');
      expect((await as(api, level).json('ticket', {})).elem as DocNode[]).toEqual([]);
      await expectOk(as(api, level).json('ticket.filter', { reset: 'on', sok: 'ok' }));
      expect(t((await as(api, level).json('ticket.filter', {})).name) ?? '').toBe('');
    },
  },
});
