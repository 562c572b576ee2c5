import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, messages } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { errorOf, parseXml, t, useApi } from '../helpers/api.ts';
import { firstOf, nth } from '../helpers/rows.ts';

const { db, api } = useApi();

/** A multipart POST as browser tools and billing modules send attachments: file_1, file_2, … */
async function upload(
  sid: string,
  fields: Record<string, string>,
  files: { name: string; data: string | Buffer; type?: string }[],
  out = 'json',
): Promise<DocNode> {
  const form = new FormData();
  for (const [key, value] of Object.entries({ ...fields, auth: sid, out })) form.set(key, value);
  files.forEach((f, i) => {
    form.set(`file_${i + 1}`, new Blob([f.data], { type: f.type ?? 'text/plain' }), f.name);
  });
  const res = await fetch(`${api.base}/billmgr`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  const text = await res.text();
  return out === 'json' ? (JSON.parse(text) as { doc: DocNode }).doc : parseXml(text);
}

const messagesOf = (form: DocNode) => (form.mlist as DocNode).message as DocNode[];

describe('multipart attachments', () => {
  it('a client opens a ticket with files; they are stored and listed with the message', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const doc = await upload(
      api.sids.alice,
      {
        func: 'clientticket.edit',
        name: 'See logs',
        message: 'Attached',
        client_department: String(api.w.ids.support.id),
        sok: 'ok',
      },
      [
        { name: 'boot.log', data: 'kernel panic\n' },
        { name: 'C:\\Users\\alice\\screen.png', data: png, type: 'image/png' },
      ],
    );
    const id = t(doc.id) as string;
    const form = await api.as('alice').json('clientticket.edit', { elid: id });
    const first = firstOf(messagesOf(form));
    expect(first.file).toEqual([
      { $id: expect.stringMatching(/^\d+$/), $size: '13', $: 'boot.log' },
      { $id: expect.stringMatching(/^\d+$/), $size: '10', $: 'screen.png' },
    ]);
    const stored = await db.db.select().from(attachments).orderBy(attachments.id);
    expect(stored.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      ['boot.log', 'text/plain', 13],
      ['screen.png', 'image/png', 10],
    ]);
    expect(Buffer.from(nth(stored, 1).data).equals(png)).toBe(true);
    // The staff form in XML lists the same files.
    const xml = await api.as('admin').xml('ticket.edit', { elid: id });
    expect(firstOf(messagesOf(xml)).file).toEqual([
      { $id: String(firstOf(stored).id), $size: '13', $: 'boot.log' },
      { $id: String(nth(stored, 1).id), $size: '10', $: 'screen.png' },
    ]);
  });

  it('a staff reply with a note goes with the reply; a client reply in XML', async () => {
    const id = String(await api.w.openTicket());
    const ok = await upload(
      api.sids.admin,
      { func: 'ticket.edit', elid: id, note_message: 'see', message: 'Patch attached', sok: 'ok' },
      [{ name: 'fix.patch', data: 'diff' }],
    );
    expect(ok).toEqual({ ok: {} });
    expect(
      await upload(
        api.sids.alice,
        { func: 'clientticket.edit', elid: id, message: 'Thanks', sok: 'ok' },
        [{ name: 'ы.txt', data: 'ok' }],
        'xml',
      ),
    ).toEqual({
      ok: { $: '' },
    });
    const list = await api.as('admin').json('ticket.edit', { elid: id });
    expect(
      messagesOf(list).map((m) => [t(m.message), (m.file as DocNode[] | undefined)?.map((f) => f.$)]),
    ).toEqual([
      ['My VPS does not boot', undefined],
      ['see', undefined],
      ['Patch attached', ['fix.patch']],
      ['Thanks', ['ы.txt']],
    ]);
  });

  it('ticket.message.edit attaches to the message it adds or edits', async () => {
    const id = String(await api.w.openTicket());
    const added = await upload(
      api.sids.admin,
      { func: 'ticket.message.edit', plid: id, message: 'Logs', sok: 'ok' },
      [{ name: 'a.txt', data: 'a' }],
    );
    const messageId = Number(t(added.id));
    const first = firstOf(
      await db.db
        .select()
        .from(messages)
        .where(eq(messages.ticketId, Number(id)))
        .orderBy(messages.id),
    );
    await upload(
      api.sids.admin,
      { func: 'ticket.message.edit', plid: id, elid: String(first.id), message: 'Edited', sok: 'ok' },
      [{ name: 'b.txt', data: 'b' }],
    );
    const stored = await db.db.select().from(attachments).orderBy(attachments.id);
    expect(stored.map((a) => [a.messageId, a.filename])).toEqual([
      [messageId, 'a.txt'],
      [first.id, 'b.txt'],
    ]);
  });

  it('files without a message to go with are refused before anything is written', async () => {
    const id = String(await api.w.openTicket());
    const cases: Record<string, string>[] = [
      { func: 'ticket.edit', elid: id },
      { func: 'ticket.edit', elid: id, high_priority: 'on', sok: 'ok' },
      { func: 'ticket.favorite', elid: id, sok: 'ok' },
    ];
    for (const fields of cases) {
      const doc = await upload(api.sids.admin, fields, [{ name: 'x.txt', data: 'x' }]);
      expect(errorOf(doc)).toMatchObject({ type: 'value', object: 'file_1' });
    }
    expect(await db.db.select().from(attachments)).toEqual([]);
    const queue = await api.as('root').json('ticket');
    expect(firstOf(queue.elem as DocNode[]).highpriority).toBeUndefined();
  });
});

describe('control characters in file parts', () => {
  /** A multipart body written by hand: `fetch` would not send these headers as a client may. */
  const raw = async (sid: string, fields: Record<string, string>, fileHeaders: string) => {
    const parts = Object.entries({ ...fields, auth: sid }).map(
      ([name, value]) => `--B\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    const body = `${parts.join('')}--B\r\n${fileHeaders}\r\n\r\nhello\r\n--B--\r\n`;
    // `out` in the query: a body refused as malformed is answered in the query's format.
    const res = await fetch(`${api.base}/billmgr?out=json`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=B' },
      body: Buffer.from(body, 'latin1'),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { doc: DocNode }).doc;
  };

  it('a NUL or other control character in an encoded filename is dropped; the file is stored', async () => {
    const id = String(await api.w.openTicket());
    const doc = await raw(
      api.sids.alice,
      { func: 'clientticket.edit', elid: id, message: 'Odd name', sok: 'ok' },
      `Content-Disposition: form-data; name="file_1"; filename*=UTF-8''a%00b%1B%C2%85c%7F.txt\r\nContent-Type: text/plain`,
    );
    expect(doc).toEqual({ ok: {} });
    const stored = await db.db.select().from(attachments);
    expect(stored.map((a) => [a.filename, a.contentType, a.size])).toEqual([['abc.txt', 'text/plain', 5]]);
    const form = await api.as('alice').json('clientticket.edit', { elid: id });
    expect(messagesOf(form).at(-1)?.file).toEqual([
      { $id: String(firstOf(stored).id), $size: '5', $: 'abc.txt' },
    ]);
  });

  it('a name of control characters only falls back to the field name', async () => {
    const id = String(await api.w.openTicket());
    await raw(
      api.sids.alice,
      { func: 'clientticket.edit', elid: id, message: 'Nameless', sok: 'ok' },
      `Content-Disposition: form-data; name="file_1"; filename*=UTF-8''%00%01\r\nContent-Type: text/plain`,
    );
    expect((await db.db.select().from(attachments)).map((a) => a.filename)).toEqual(['file_1']);
  });

  it('a control character in a part header (its content type) is refused before anything is written', async () => {
    const id = String(await api.w.openTicket());
    const doc = await raw(
      api.sids.alice,
      { func: 'clientticket.edit', elid: id, message: 'Never written', sok: 'ok' },
      `Content-Disposition: form-data; name="file_1"; filename="x.txt"\r\nContent-Type: text/pl\u0001ain`,
    );
    expect(errorOf(doc).type).toBe('value');
    expect(await db.db.select().from(attachments)).toEqual([]);
    const form = await api.as('alice').json('clientticket.edit', { elid: id });
    expect(messagesOf(form).map((m) => t(m.message))).not.toContain('Never written');
  });
});
