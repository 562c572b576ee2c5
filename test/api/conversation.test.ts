import { expect, it } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { PASSWORD, parseXml, t, useApi } from '../helpers/api.ts';
import { firstOf } from '../helpers/rows.ts';

const { api } = useApi({}, { perFile: true });

const rows = (doc: DocNode) => doc.elem as DocNode[];
const messagesOf = (form: DocNode) =>
  ((form.mlist as DocNode).message as DocNode[]).map((m) => [m.$type, t(m.message)]);

it('a whole conversation through the API: the client in XML with a cookie, staff in JSON with auth', async () => {
  // The client logs in (XML, as an old billing module would) and keeps the session cookie.
  const login = await fetch(
    `${api.base}/billmgr?func=auth&username=alice&password=${encodeURIComponent(PASSWORD)}`,
  );
  const cookie = firstOf((login.headers.get('set-cookie') as string).split(';'), 'cookie');
  // A module with a cookie jar POSTs its calls: by the cookie, only lists work by GET (api-security.md).
  const client = async (params: Record<string, string>) => {
    const res = await fetch(`${api.base}/billmgr`, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(200);
    return parseXml(await res.text());
  };
  const staffSid = ((await api.json({ func: 'auth', username: 'admin', password: PASSWORD })).auth as DocNode)
    .$ as string;
  const staff = (params: Record<string, string>) => api.json({ ...params, auth: staffSid });

  // 1. The client opens a ticket.
  const opened = await client({
    func: 'clientticket.edit',
    name: 'Website returns 502',
    message: 'Since this morning',
    client_department: String(api.w.ids.support.id),
    sok: 'ok',
  });
  const id = t(opened.id) as string;
  expect(id).toMatch(/^\d+$/);

  // 2. Staff list the queue: the ticket is new and unread.
  const queue = await staff({ func: 'ticket' });
  expect(rows(queue).map((r) => [t(r.id), t(r.tstatus), t(r.unread)])).toEqual([[id, '0', 'on']]);

  // 3. Staff open it: the form, now under review and locked to them.
  const form = await staff({ func: 'ticket.edit', elid: id, plid: id });
  expect(messagesOf(form)).toEqual([['incoming', 'Since this morning']]);
  expect(t(form.tstatus)).toBe('1');

  // 4. Staff reply, 5. and raise the priority.
  expect(
    await staff({ func: 'ticket.edit', elid: id, message: 'Restarting the web server', sok: 'ok' }),
  ).toEqual({ ok: {} });
  expect(await staff({ func: 'ticket.edit', elid: id, high_priority: 'on', sok: 'ok' })).toEqual({ ok: {} });
  const raised = firstOf(rows(await staff({ func: 'ticket' })));
  expect([t(raised.tstatus), t(raised.highpriority), raised.unread]).toEqual(['2', 'on', undefined]);

  // 6. The client sees the reply (unread) and answers.
  const mine = rows(await client({ func: 'clientticket' }));
  expect(mine.map((r) => [t(r.id), t(r.unread)])).toEqual([[id, 'on']]);
  const seen = await client({ func: 'clientticket.edit', elid: id });
  expect(messagesOf(seen)).toEqual([
    ['incoming', 'Since this morning'],
    ['outcoming', 'Restarting the web server'],
  ]);
  expect(
    await client({ func: 'clientticket.edit', elid: id, message: 'Works now, thanks!', sok: 'ok' }),
  ).toEqual({
    ok: { $: '' },
  });

  // 7. Staff see the answer and close the ticket.
  const back = firstOf(rows(await staff({ func: 'ticket' })));
  expect([t(back.tstatus), t(back.unread)]).toEqual(['0', 'on']);
  expect(await staff({ func: 'ticket.delete', elid: id, sok: 'ok' })).toEqual({ ok: {} });
  expect(rows(await staff({ func: 'ticket' }))).toEqual([]);

  // 8. The client archives it; their list no longer shows it.
  expect(await client({ func: 'clientticket.archive', elid: id, sok: 'ok' })).toEqual({ ok: { $: '' } });
  expect(rows(await client({ func: 'clientticket' })) ?? []).toEqual([]);
  const archived = await staff({ func: 'ticket.edit', elid: id });
  expect(t(archived.tstatus)).toBe('10');
  expect(messagesOf(archived)).toEqual([
    ['incoming', 'Since this morning'],
    ['outcoming', 'Restarting the web server'],
    ['incoming', 'Works now, thanks!'],
  ]);
});
