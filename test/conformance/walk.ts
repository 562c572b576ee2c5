import { describe, expect, it } from 'vitest';
import { exactly } from '../../db/rows.ts';
import type { DocNode } from '../../src/api/doc.ts';
import type { Api, Params } from '../helpers/api.ts';
import { t } from '../helpers/api.ts';
import { firstOf, present } from '../helpers/rows.ts';
import { as, failure, type Level, specOf } from './spec.ts';

type Check = (level: Level) => Promise<void>;

export interface Conformance {
  /** A valid call at a level; it makes the fixtures it needs each time. */
  base: (level: Level) => Promise<Params>;
  /** One check per parameter of the spec's table, run at every access level the spec names. */
  cases: Record<string, Check>;
  /**
   * Parameters the table marks required whose absence is not a `missed` error, each with the check of
   * what happens instead (e.g. `sok`: without it a form, and nothing written).
   */
  absent?: Record<string, Check>;
  /** What the function does beyond its table (e.g. a function without parameters), at every level. */
  extra?: Record<string, Check>;
}

const LEVELS: Level[] = ['root', 'admin', 'user'];

/**
 * Walks a function's spec table over the real HTTP API: every level the spec names is served, every
 * other level refused; a required parameter left out is a `missed` error naming it; and every
 * parameter has its own check. A parameter added to the spec without a check here fails the walk.
 */
export function walkSpec(api: Api, name: string, c: Conformance) {
  const spec = specOf(name);
  // root is BILLmanager's superuser: what an admin may call, root may too.
  const levels =
    spec.access.includes('admin') && !spec.access.includes('root')
      ? ['root' as const, ...spec.access]
      : spec.access;
  describe(`${name}, as the spec states it`, () => {
    it('has a check for every parameter of the spec table', () => {
      expect(Object.keys(c.cases).sort()).toEqual(spec.params.map((p) => p.name).sort());
    });
    for (const level of LEVELS) {
      const allowed = levels.includes(level);
      it(`${allowed ? 'serves' : 'refuses'} access level ${level}`, async () => {
        const answer = await as(api, level).json(
          name,
          await c.base(allowed ? level : firstOf(levels, 'allowed level')),
        );
        if (allowed) expect(failure(answer)).toBeUndefined();
        else expect(failure(answer)).toMatchObject({ type: 'access' });
      });
    }
    for (const [what, check] of Object.entries(c.extra ?? {}))
      for (const level of levels) it(`${what} as ${level}`, () => check(level));
    for (const param of spec.params) {
      for (const level of levels) {
        it(`${param.name} (${param.required ? 'required' : 'optional'}) as ${level}`, async () => {
          const absent = c.absent?.[param.name];
          if (param.required && absent) await absent(level);
          else if (param.required && !spec.list) {
            const { [param.name]: _, ...rest } = await c.base(level);
            const answer = await as(api, level).json(name, rest);
            expect(failure(answer)).toMatchObject({ type: 'missed', object: param.name });
          }
          await present(c.cases[param.name], `a case for ${param.name}`)(level);
        });
      }
    }
  });
}

/** A list column: present in the rows and usable as `p_sort`. */
export async function column(api: Api, level: Level, name: string, params: Params, key: string) {
  const doc = await as(api, level).json(name, params);
  const rows = doc.elem as DocNode[];
  expect(
    rows.some((row) => Object.hasOwn(row, key)),
    `${key} in ${JSON.stringify(rows)}`,
  ).toBe(true);
  const sorted = await as(api, level).json(name, { ...params, p_sort: key });
  expect(t(sorted.p_sort)).toBe(key);
}

/** Expects an ok answer (or its refusal, with type and object). */
export async function expectOk(answer: Promise<DocNode>) {
  const doc = await answer;
  expect(failure(doc), JSON.stringify(doc)).toBeUndefined();
  return doc;
}
export async function expectError(answer: Promise<DocNode>, type: string, object: string) {
  const doc = await answer;
  expect(failure(doc), JSON.stringify(doc)).toMatchObject({ type, object });
  return failure(doc);
}

/** A ticket of Alice with her question, a staff reply and two more of her messages. */
export async function conversation(api: Api) {
  const w = api.w;
  const id = await w.openTicket();
  await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Rebooted', sok: 'ok' });
  await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Still down', sok: 'ok' });
  await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Other issue', sok: 'ok' });
  const rows = await w.run(w.as.root, 'ticket.message', { elid: String(id) });
  if (rows.kind !== 'list') throw new Error(`ticket.message gave a ${rows.kind}`);
  const [first, reply, second, third] = exactly(
    rows.rows.map((r) => String(r.id)),
    4,
    'message',
  );
  return { id: String(id), first, reply, second, third };
}

/** The base call of the message actions: the second question of a fresh conversation, in its ticket. */
export const atSecondMessage = (api: Api) => async () => {
  const c = await conversation(api);
  return { elid: c.second, plid: c.id, sok: 'ok' };
};
