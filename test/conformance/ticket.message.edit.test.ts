import { expect } from 'vitest';
import { messagesOf } from '../functions/support.ts';
import { t, useApi } from '../helpers/api.ts';
import { as, type Level } from './spec.ts';
import { conversation, expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

/** Edits the staff reply of a conversation. */
const editReply = (level: Level, c: { id: string; reply: string }, message: string, sok = 'ok') =>
  as(api, level).json('ticket.message.edit', { plid: c.id, elid: c.reply, message, sok });

const bodies = async (ticket: string) => (await messagesOf(db.db, Number(ticket))).map((m) => m.body);

walkSpec(api, 'ticket.message.edit', {
  base: async () => {
    const c = await conversation(api);
    return { plid: c.id, elid: c.reply, message: 'Rebooted the VPS', sok: 'ok' };
  },
  absent: {
    // Without sok the message's form, as every BILLmanager edit function answers; nothing changes.
    sok: async (level) => {
      const c = await conversation(api);
      const form = await expectOk(
        as(api, level).json('ticket.message.edit', { plid: c.id, elid: c.reply, message: 'x' }),
      );
      expect(t(form.message)).toBe('Rebooted');
      expect(await bodies(c.id)).toContain('Rebooted');
    },
  },
  cases: {
    plid: async (level) => {
      const c = await conversation(api);
      const other = await conversation(api);
      await expectError(
        as(api, level).json('ticket.message.edit', {
          plid: other.id,
          elid: c.reply,
          message: 'x',
          sok: 'ok',
        }),
        'missed',
        'elid',
      );
      await expectError(
        as(api, level).json('ticket.message.edit', { plid: '999999', message: 'x', sok: 'ok' }),
        'missed',
        'plid',
      );
      expect(await bodies(c.id)).toContain('Rebooted');
    },
    elid: async (level) => {
      const c = await conversation(api);
      await expectOk(editReply(level, c, 'Edited'));
      expect((await bodies(c.id))[1]).toBe('Edited');
      // Without elid: a new staff message.
      const added = await expectOk(
        as(api, level).json('ticket.message.edit', { plid: c.id, message: 'New one', sok: 'ok' }),
      );
      expect(t(added.id)).toBeDefined();
      expect((await bodies(c.id)).at(-1)).toBe('New one');
    },
    message: async (level) => {
      const c = await conversation(api);
      await expectOk(editReply(level, c, '**Bold**'));
      expect((await bodies(c.id))[1]).toBe('**Bold**');
    },
    sok: async (level) => {
      const c = await conversation(api);
      await expectOk(editReply(level, c, 'Yes', 'yes'));
      expect((await bodies(c.id))[1]).toBe('Yes');
    },
  },
});
