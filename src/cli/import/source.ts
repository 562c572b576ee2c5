import { XMLParser } from 'fast-xml-parser';

/** A list row as the source sends it, every cell reduced to its text. */
/** A row of a source list: its fields as text. Every BILLmanager list row has an id. */
export type SourceRow = { id: string } & Partial<Record<string, string>>;

/** The source refused a call: BILLmanager's error type, object and message. */
export class SourceRefusal extends Error {
  constructor(
    readonly func: string,
    readonly type: string,
    readonly object: string,
    message: string,
  ) {
    super(message);
  }
}

/** The source could not be reached or answered something that is not a BILLmanager document. */
export class SourceUnreachable extends Error {}

type Fetch = typeof fetch;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '$',
  textNodeName: '$',
  parseTagValue: false,
  parseAttributeValue: false,
});

/**
 * A BILLmanager (or compatible) server read over its API: JSON asked for, XML understood too (some
 * installs answer XML whatever `out` says), `elem` as one row or many, cells as `{"$": text}` or
 * plain strings, and paging with or without `p_elems`.
 */
export class Source {
  private sid?: string;
  level?: string;

  constructor(
    readonly url: string,
    private readonly fetcher: Fetch = fetch,
  ) {}

  /** `func=auth`: a session for the rest of the calls; the level tells root/admin from a client. */
  async login(username: string, password: string): Promise<void> {
    const doc = await this.request({ func: 'auth', username, password });
    const auth = doc.auth as Record<string, unknown> | string | undefined;
    const sid = typeof auth === 'string' ? auth : (text(auth?.$id) ?? text(auth));
    if (!sid) throw new SourceUnreachable(`${this.url} answered func=auth without a session`);
    this.sid = sid;
    this.level = typeof auth === 'object' ? text(auth?.$level) : undefined;
  }

  /** Every row of a list, page by page. */
  async *rows(
    func: string,
    params: Record<string, string> = {},
    pageSize = 500,
  ): AsyncGenerator<SourceRow[]> {
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      const doc = await this.call(func, { ...params, p_num: String(page), p_cnt: String(pageSize) });
      const rows = asArray(doc.elem).map((node) => {
        const r = fields(node);
        // Without its id a row could be neither resumed nor referred to by the rows after it.
        if (r.id === undefined) throw new SourceUnreachable(`${this.url} listed a ${func} row without an id`);
        return { ...r, id: r.id };
      });
      // A server that ignores paging sends the same rows again: stop at the first repeat.
      const fresh = rows.filter((r) => !seen.has(r.id));
      for (const r of fresh) seen.add(r.id);
      if (fresh.length > 0) yield fresh;
      const total = Number(text(doc.p_elems));
      const done =
        Number.isFinite(total) && text(doc.p_elems) !== undefined
          ? seen.size >= total
          : rows.length < pageSize;
      if (done || fresh.length === 0) return;
    }
  }

  /** The count a list reports, if it does (for progress). */
  async count(func: string, params: Record<string, string> = {}): Promise<number | undefined> {
    const doc = await this.call(func, { ...params, p_num: '1', p_cnt: '1' });
    const total = Number(text(doc.p_elems));
    return Number.isFinite(total) && text(doc.p_elems) !== undefined ? total : undefined;
  }

  /** A call in the session; refusals become SourceRefusal. */
  async call(func: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
    return this.request({ func, ...params, ...(this.sid ? { auth: this.sid } : {}) });
  }

  private async request(params: { func: string } & Record<string, string>): Promise<Record<string, unknown>> {
    const body = await this.send(params);
    const doc = parseDoc(body);
    if (!doc)
      throw new SourceUnreachable(
        `${this.url} answered func=${params.func} with something that is not a BILLmanager document`,
      );
    const error = doc.error as Record<string, unknown> | undefined;
    if (error) {
      throw new SourceRefusal(
        params.func,
        text(error.$type) ?? 'unknown',
        text(error.$object) ?? '',
        text(error.msg) ?? 'refused',
      );
    }
    return doc;
  }

  private async send(params: Record<string, string>): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.fetcher(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ out: 'json', ...params }),
        });
        const body = await res.text();
        if (!res.ok && !body.trim()) throw new Error(`HTTP ${res.status}`);
        return body;
      } catch (error) {
        if (attempt < ATTEMPTS) continue;
        const cause = (error as Error & { cause?: Error }).cause;
        throw new SourceUnreachable(
          `${this.url} did not answer func=${params.func}: ${(error as Error).message}${cause ? ` (${cause.message})` : ''}`,
        );
      }
    }
  }
}

/** Tries again on a dropped connection (a kept-alive socket the server closed meanwhile): every call here only reads. */
const ATTEMPTS = 3;

function parseDoc(body: string): Record<string, unknown> | undefined {
  const trimmed = body.trim();
  try {
    const parsed = (trimmed.startsWith('<') ? xml.parse(trimmed) : JSON.parse(trimmed)) as { doc?: unknown };
    return parsed && typeof parsed.doc === 'object' && parsed.doc !== null
      ? (parsed.doc as Record<string, unknown>)
      : parsed?.doc === ''
        ? {}
        : undefined;
  } catch {
    return undefined;
  }
}

/** A node's text: a plain string, or `$` of `{"$": …}`. */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'number') return String(node);
  if (node && typeof node === 'object' && '$' in node) return text((node as { $: unknown }).$);
  return undefined;
}

const asArray = (node: unknown): unknown[] =>
  node === undefined || node === '' ? [] : Array.isArray(node) ? node : [node];

function fields(node: unknown): Partial<Record<string, string>> {
  const out: Partial<Record<string, string>> = {};
  if (!node || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node)) {
    const t = text(value);
    if (t !== undefined && !key.startsWith('$')) out[key] = t;
  }
  return out;
}
