import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { Express } from 'express';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { type ApiOptions, DEFAULT_API_OPTIONS } from '../../src/api/options.ts';
import { createSession } from '../../src/api/sessions.ts';
import { createApp } from '../../src/app.ts';
import { hashPassword } from '../../src/passwords.ts';
import { firstOf } from './rows.ts';
import { useTestDb } from './setup.ts';
import { makeWorld } from './world.ts';

export const PASSWORD = 'correct horse';
let passwordHash: Promise<string> | undefined;

/** Parses XML as BILLmanager clients do: attributes as `$name`, text as `$`, repeated rows as arrays. */
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '$',
  textNodeName: '$',
  parseTagValue: false,
  parseAttributeValue: false,
  alwaysCreateTextNode: true,
  // `message` is both a ticket form's message item (repeated) and, inside it or a row, the text.
  isArray: (name, path) =>
    name === 'message'
      ? String(path).endsWith('mlist.message')
      : ['elem', 'param', 'val', 'slist', 'file'].includes(name),
});

export type Params = Record<string, string>;

/**
 * The test world (makeWorld) behind a real HTTP server on a free port, with every user's password
 * set to PASSWORD, and clients that speak the API in JSON or XML with a session per user.
 */
export async function startApi(db: Db, options: Partial<ApiOptions> = {}) {
  const w = await makeWorld(db);
  passwordHash ??= hashPassword(PASSWORD);
  await db.update(users).set({ passwordHash: await passwordHash });
  const { base, close } = await serve(createApp(w.deps, { api: options }));
  const opts = { ...DEFAULT_API_OPTIONS, ...options };

  const send = (params: Params, init: RequestInit = {}) =>
    fetch(`${base}/billmgr?${new URLSearchParams(params)}`, init);

  /** A JSON call: checks the HTTP side and returns `doc`. */
  const json = async (params: Params, init?: RequestInit): Promise<DocNode> => {
    const res = await send({ ...params, out: params.out ?? 'json' }, init);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return ((await res.json()) as { doc: DocNode }).doc;
  };
  /** An XML call, parsed like a client would; returns `doc`. */
  const xml = async (params: Params, init?: RequestInit): Promise<DocNode> => {
    const res = await send(params, init);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    return parseXml(await res.text());
  };

  /** A session id for a world user, made as func=auth makes them (func=auth itself is tested apart). */
  const sessionFor = async (login: string) => {
    const user = firstOf(await db.select().from(users).where(eq(users.login, login)));
    return createSession(db, user.id, undefined, w.clock.now(), opts);
  };
  const sids = {
    root: await sessionFor('root'),
    admin: await sessionFor('admin'),
    alice: await sessionFor('alice'),
    bob: await sessionFor('bob'),
  };
  /** Calls as one of the world's users, by session. */
  const as = (who: keyof typeof sids) => ({
    json: (func: string, params: Params = {}) => json({ func, auth: sids[who], ...params }),
    xml: (func: string, params: Params = {}) => xml({ func, auth: sids[who], ...params }),
  });

  return {
    w,
    base,
    send,
    json,
    xml,
    sids,
    as,
    close,
  };
}

/**
 * An app on a free local port (another replica of the API, or one set up differently); `base` is
 * its URL.
 */
export async function serve(app: Express) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Api = Awaited<ReturnType<typeof startApi>>;

/**
 * The API server (startApi) on an emptied database before each test and closed after it; with
 * `perFile`, one server for the whole file, for tests that build on each other.
 */
export function useApi(options: Partial<ApiOptions> = {}, { perFile = false } = {}) {
  const db = useTestDb();
  const api = {} as Api;
  if (perFile) {
    beforeAll(async () => {
      Object.assign(api, await startApi(db.db, options));
    });
    afterAll(() => api.close());
  } else {
    beforeEach(async () => {
      await db.reset();
      Object.assign(api, await startApi(db.db, options));
    });
    afterEach(() => api.close());
  }
  return { db, api };
}

export function parseXml(text: string): DocNode {
  expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  return (xmlParser.parse(text) as { doc: DocNode }).doc;
}

/**
 * The XML and JSON mappings compared: an empty element parses as `{"$": ""}` where JSON has `{}` or
 * an empty `$`, so empty texts are dropped from both before comparing.
 */
export function comparable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(comparable);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => !(key === '$' && value === ''))
        .map(([key, value]) => [key, comparable(value)]),
    );
  }
  return node;
}

/** The text of a `{"$": …}` node. */
export const t = (node: unknown): string | undefined => (node as { $?: string } | undefined)?.$;

/** The error of an error document, checked to be one: type, object, message. */
export function errorOf(doc: DocNode): { type: string; object: string; msg: string; node: DocNode } {
  expect(doc.error, JSON.stringify(doc)).toBeDefined();
  const error = doc.error as DocNode;
  return { type: String(error.$type), object: String(error.$object), msg: t(error.msg) ?? '', node: error };
}
