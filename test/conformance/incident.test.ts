import { expect } from 'vitest';
import { clientRow } from '../functions/support.ts';
import { t, useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

const incidents = async () => (await clientRow(db.db, api.w.ids.acme.id)).incidents;

walkSpec(api, 'incident', {
  base: async () => ({ count: '1', sok: 'ok' }),
  cases: {
    // The client's own id only.
    elid: async (level) => {
      const before = await incidents();
      await expectOk(
        as(api, level).json('incident', { elid: String(api.w.ids.acme.id), count: '1', sok: 'ok' }),
      );
      expect(await incidents()).toBe(before + 1);
      await expectError(
        as(api, level).json('incident', { elid: String(api.w.ids.globex.id), sok: 'ok' }),
        'access',
        'elid',
      );
    },
    // Without count one is bought, as the form's default says.
    count: async (level) => {
      const form = await expectOk(as(api, level).json('incident', {}));
      expect(t(form.count)).toBe('1');
      const before = await incidents();
      await expectOk(as(api, level).json('incident', { sok: 'ok' }));
      await expectOk(as(api, level).json('incident', { count: '2', sok: 'ok' }));
      expect(await incidents()).toBe(before + 3);
      await expectError(as(api, level).json('incident', { count: '0', sok: 'ok' }), 'value', 'count');
    },
    sok: async (level) => {
      const before = await incidents();
      await expectOk(as(api, level).json('incident', { count: '1' }));
      expect(await incidents()).toBe(before);
    },
  },
});
