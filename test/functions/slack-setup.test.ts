import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, clients, departments, linkCodes, users } from '../../db/schema.ts';
import type { Session } from '../../src/functions/types.ts';
import { firstOf } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { footprint, ok, refused } from './support.ts';

const { db, w } = useTestWorld();

/** A Slack user the Slack door identified, with no account: a guest. */
const guest = (slackUserId: string): Session => ({
  userId: 0,
  login: `slack:${slackUserId}`,
  level: 'guest',
  via: 'test',
  slackUserId,
});

const userRow = async (login: string) =>
  firstOf(await db.db.select().from(users).where(eq(users.login, login)));
const auditOf = (func: string) =>
  db.db
    .select({ actor: auditLog.actor, params: auditLog.params, via: auditLog.via })
    .from(auditLog)
    .where(eq(auditLog.func, func))
    .orderBy(asc(auditLog.id));

/** Every Slack-wiring function with parameters that would succeed, and who may call it. */
const CASES = () => ({
  'slack.staff.add': { who: ['root'], params: { slack_user: 'UNEW', name: 'Nina New' } },
  'slack.staff.remove': { who: ['root'], params: { slack_user: 'UADMIN' } },
  'slack.channel': { who: ['root'], params: { elid: String(w.ids.support.id), channel: 'CSUPPORT' } },
  'slack.bind': { who: ['root'], params: { account: String(w.ids.globex.id), channel: 'CGLOBEX' } },
  'slack.unbind': { who: ['root'], params: { channel: 'CACME' } },
  'slack.linkcode': { who: ['root', 'admin'], params: { login: 'bob' } },
  'slack.link': { who: ['guest', 'user'], params: { code: 'NOSUCHCODE' } },
  'slack.join': { who: ['guest'], params: { channel: 'CACME', name: 'Carla Acme' } },
});

describe('who may call the Slack-wiring functions', () => {
  it('every other level is refused with a sentence saying who may, and nothing is written', async () => {
    await db.db.update(users).set({ slackUserId: 'UADMIN' }).where(eq(users.id, w.ids.admin.id));
    await db.db.update(clients).set({ slackChannel: 'CACME' }).where(eq(clients.id, w.ids.acme.id));
    const callers: Record<string, Session> = {
      root: { ...w.as.root, slackUserId: 'UROOT' },
      admin: { ...w.as.admin, slackUserId: 'UADMIN' },
      user: { ...w.as.alice, slackUserId: 'UALICE' },
      guest: guest('UOUT'),
    };
    const before = await footprint(db.db);
    for (const [name, { who, params }] of Object.entries(CASES())) {
      for (const [level, session] of Object.entries(callers)) {
        if (who.includes(level)) continue;
        const error = await refused(w.run(session, name, params), 'access', name);
        expect(error.message).toMatch(
          /^Only (root accounts|staff|guests and client users|guests) can do this/,
        );
      }
    }
    expect(await footprint(db.db)).toEqual(before);
  });

  it('link and join act on the Slack user the door verified, never without one (the API has none)', async () => {
    const { slackUserId: _, ...unverified } = guest('UX');
    const join = await refused(
      w.run(unverified, 'slack.join', { channel: 'CACME', name: 'X' }),
      'access',
      'channel',
    );
    expect(join.message).toBe('Only a Slack user can do this, from Slack');
    await refused(w.run(w.as.alice, 'slack.link', { code: 'ABC' }), 'access', 'code');
  });
});

describe('parameters are parsed and refused in words', () => {
  it('Slack ids, levels and required parameters', async () => {
    const refusals: [string, Record<string, string>, 'missed' | 'value', string, RegExp][] = [
      ['slack.staff.add', { slack_user: 'bob', name: 'B' }, 'value', 'slack_user', /Slack member id/],
      ['slack.staff.add', { slack_user: 'UNEW' }, 'missed', 'name', /name/],
      ['slack.staff.add', { slack_user: 'UNEW', name: 'N', level: 'god' }, 'value', 'level', /admin or root/],
      ['slack.staff.remove', {}, 'missed', 'slack_user', /slack_user/],
      ['slack.channel', { elid: 'x', channel: 'C1234' }, 'value', 'elid', /positive integer/],
      ['slack.channel', { elid: '1', channel: '#general' }, 'value', 'channel', /Slack channel id/],
      ['slack.bind', { account: '1', channel: 'C1234', team: 'acme' }, 'value', 'team', /Slack team id/],
      ['slack.unbind', {}, 'missed', 'channel', /channel/],
      ['slack.linkcode', { login: 'no spaces' }, 'value', 'login', /letters, digits/],
    ];
    const before = await footprint(db.db);
    for (const [name, params, type, object, message] of refusals) {
      const error = await refused(w.run(w.as.root, name, params), type, object);
      expect(error.message).toMatch(message);
    }
    await refused(w.run(guest('UX'), 'slack.link', {}), 'missed', 'code');
    expect(await footprint(db.db)).toEqual(before);
  });
});

describe('slack.staff.add and slack.staff.remove', () => {
  it('make a Slack user staff, raise them to root, take the rights away; each call audited', async () => {
    const added = ok(
      await w.run(w.as.root, 'slack.staff.add', { slack_user: 'unew', name: 'Nina', timezone: 'Asia/Tokyo' }),
    );
    expect(added.name).toBe('Nina');
    expect(await userRow('slack-unew')).toMatchObject({
      id: added.id,
      slackUserId: 'UNEW',
      level: 'admin',
      timezone: 'Asia/Tokyo',
      disabled: false,
    });
    ok(await w.run(w.as.root, 'slack.staff.add', { slack_user: 'UNEW', name: 'Nina N', level: 'root' }));
    expect(await userRow('slack-unew')).toMatchObject({ id: added.id, name: 'Nina N', level: 'root' });
    ok(await w.run(w.as.root, 'slack.staff.remove', { slack_user: 'UNEW' }));
    expect((await userRow('slack-unew')).disabled).toBe(true);
    expect((await auditOf('slack.staff.add')).map((a) => a.actor)).toEqual(['root', 'root']);
    expect(await auditOf('slack.staff.remove')).toEqual([
      { actor: 'root', via: 'test', params: { slack_user: 'UNEW' } },
    ]);
  });

  it('never makes a client user staff; refuses a non-staff removal and the last root leaving', async () => {
    await db.db.update(users).set({ slackUserId: 'UALICE' }).where(eq(users.id, w.ids.alice.id));
    await db.db.update(users).set({ slackUserId: 'UROOT' }).where(eq(users.id, w.ids.root.id));
    const before = await footprint(db.db);
    const client = await refused(
      w.run(w.as.root, 'slack.staff.add', { slack_user: 'UALICE', name: 'A', level: 'root' }),
      'value',
      'slack_user',
    );
    expect(client.message).toBe('Alice Acme is linked to a client account and cannot be staff');
    await refused(w.run(w.as.root, 'slack.staff.remove', { slack_user: 'UALICE' }), 'missed', 'slack_user');
    const last = await refused(
      w.run(w.as.root, 'slack.staff.remove', { slack_user: 'UROOT' }),
      'value',
      'slack_user',
    );
    expect(last.message).toMatch(/last root/);
    expect(await footprint(db.db)).toEqual(before);
    expect(await userRow('alice')).toMatchObject({ level: 'user', disabled: false });
    expect((await userRow('root')).disabled).toBe(false);
  });
});

describe('slack.channel, slack.bind and slack.unbind', () => {
  const departmentChannel = async (id: number) =>
    firstOf(await db.db.select().from(departments).where(eq(departments.id, id))).slackChannel;
  const clientRow = async (id: number) =>
    firstOf(await db.db.select().from(clients).where(eq(clients.id, id)));

  it('a department channel and a client channel never coincide; refusals change nothing', async () => {
    const set = ok(
      await w.run(w.as.root, 'slack.channel', { elid: String(w.ids.support.id), channel: 'csupport' }),
    );
    expect(set).toMatchObject({ id: w.ids.support.id, name: 'Support' });
    expect(await departmentChannel(w.ids.support.id)).toBe('CSUPPORT');
    const bind = { account: String(w.ids.globex.id), channel: 'CGLOBEX', team: 'T0GLOBEX' };
    expect(ok(await w.run(w.as.root, 'slack.bind', bind)).name).toBe('Globex');
    expect(await clientRow(w.ids.globex.id)).toMatchObject({
      slackChannel: 'CGLOBEX',
      slackTeam: 'T0GLOBEX',
    });

    const before = await footprint(db.db);
    const toClient = await refused(
      w.run(w.as.root, 'slack.channel', { elid: String(w.ids.paid.id), channel: 'CGLOBEX' }),
      'value',
      'channel',
    );
    expect(toClient.message).toBe('This channel belongs to client Globex: department cards cannot go here');
    const toDepartment = await refused(
      w.run(w.as.root, 'slack.bind', { account: String(w.ids.acme.id), channel: 'CSUPPORT' }),
      'value',
      'channel',
    );
    expect(toDepartment.message).toBe('This channel receives the cards of department Support: bind another');
    await refused(
      w.run(w.as.root, 'slack.bind', { account: String(w.ids.acme.id), channel: 'CGLOBEX' }),
      'value',
      'channel',
    );
    await refused(w.run(w.as.root, 'slack.channel', { elid: '999', channel: 'CNEW' }), 'missed', 'elid');
    await refused(w.run(w.as.root, 'slack.bind', { account: '999', channel: 'CNEW' }), 'missed', 'account');
    await refused(w.run(w.as.root, 'slack.unbind', { channel: 'CSUPPORT' }), 'missed', 'channel');
    expect(await footprint(db.db)).toEqual(before);
    expect(await departmentChannel(w.ids.paid.id)).toBeNull();
    expect((await clientRow(w.ids.acme.id)).slackChannel).toBeNull();

    expect(ok(await w.run(w.as.root, 'slack.unbind', { channel: 'CGLOBEX' })).name).toBe('Globex');
    expect(await clientRow(w.ids.globex.id)).toMatchObject({ slackChannel: null, slackTeam: null });
    expect((await auditOf('slack.bind')).map((a) => a.params)).toEqual([bind]);
    expect(await auditOf('slack.unbind')).toHaveLength(1);
    expect(await auditOf('slack.channel')).toHaveLength(1);
  });
});

describe('slack.linkcode, slack.link and slack.join', () => {
  it('a code made by staff links a guest once; the code never reaches the audit log', async () => {
    const made = ok(await w.run(w.as.admin, 'slack.linkcode', { login: 'bob' }));
    expect(made).toMatchObject({
      id: w.ids.bob.id,
      name: 'Bob Globex',
      code: expect.stringMatching(/^\S{8}$/),
    });
    const code = made.code as string;
    expect(JSON.stringify(await auditOf('slack.linkcode'))).not.toContain(code);
    const linked = ok(await w.run(guest('UBOB'), 'slack.link', { code: ` ${code.toLowerCase()} ` }));
    expect(linked).toMatchObject({ id: w.ids.bob.id, name: 'Bob Globex' });
    expect((await userRow('bob')).slackUserId).toBe('UBOB');
    expect(await auditOf('slack.link')).toMatchObject([{ actor: 'slack:UBOB', via: 'test' }]);
    const spent = await refused(w.run(guest('UOTHER'), 'slack.link', { code }), 'value', 'code');
    expect(spent.message).toBe('This link code is unknown or has expired');
  });

  it('refuses staff logins, expired codes and a Slack account linked elsewhere, keeping the code', async () => {
    const staff = await refused(w.run(w.as.root, 'slack.linkcode', { login: 'admin' }), 'value', 'login');
    expect(staff.message).toMatch(/admin is staff/);
    await refused(w.run(w.as.root, 'slack.linkcode', { login: 'nobody' }), 'missed', 'login');
    const code = ok(await w.run(w.as.root, 'slack.linkcode', { login: 'bob' })).code as string;
    await db.db.update(users).set({ slackUserId: 'UALICE' }).where(eq(users.id, w.ids.alice.id));
    const before = await footprint(db.db);
    const elsewhere = await refused(
      w.run({ ...w.as.alice, slackUserId: 'UALICE' }, 'slack.link', { code }),
      'value',
      'code',
    );
    expect(elsewhere.message).toBe('Your Slack account is already linked to alice');
    expect(await footprint(db.db)).toEqual(before);
    expect(await db.db.select().from(linkCodes)).toHaveLength(1);
    w.clock.advance(24 * 60 * 60_000);
    await refused(w.run(guest('UBOB'), 'slack.link', { code }), 'value', 'code');
    expect((await userRow('bob')).slackUserId).toBeNull();
  });

  it('a guest writing in a bound channel joins its client once; another client’s channel is refused', async () => {
    await db.db.update(clients).set({ slackChannel: 'CACME' }).where(eq(clients.id, w.ids.acme.id));
    await db.db.update(clients).set({ slackChannel: 'CGLOBEX' }).where(eq(clients.id, w.ids.globex.id));
    const joined = ok(await w.run(guest('UCARLA'), 'slack.join', { channel: 'CACME', name: 'Carla' }));
    expect(await userRow('slack-ucarla')).toMatchObject({
      id: joined.id,
      level: 'user',
      clientId: w.ids.acme.id,
      slackUserId: 'UCARLA',
    });
    // Two first messages at once: the second finds the account the first made.
    expect(ok(await w.run(guest('UCARLA'), 'slack.join', { channel: 'CACME', name: 'Carla' })).id).toBe(
      joined.id,
    );
    const before = await footprint(db.db);
    await refused(
      w.run(guest('UCARLA'), 'slack.join', { channel: 'CGLOBEX', name: 'Carla' }),
      'access',
      'user',
    );
    await refused(w.run(guest('UDAN'), 'slack.join', { channel: 'CNONE', name: 'Dan' }), 'access', 'channel');
    expect(await footprint(db.db)).toEqual(before);
    expect(await auditOf('slack.join')).toMatchObject([{ actor: 'slack:UCARLA' }, { actor: 'slack:UCARLA' }]);
  });
});
