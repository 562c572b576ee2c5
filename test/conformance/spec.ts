import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocNode } from '../../src/api/doc.ts';
import type { Api, Params } from '../helpers/api.ts';
import { errorOf } from '../helpers/api.ts';

/** One function of the spec as its text states it: who may call it and its parameter table. */
export interface SpecFunction {
  name: string;
  access: Level[];
  list: boolean;
  params: { name: string; required: boolean }[];
}
export type Level = 'root' | 'admin' | 'user';

const TYPES = /^(Positive integer|String|String \((enumeration|list)\)|Flag|Date and time)$/;

/**
 * The spec (a verbatim copy of ISPsystem's page, beside this file) read into its tables, so a test
 * walks exactly the parameters the contract lists: a parameter added there is a case missing here.
 */
function readSpec(): Map<string, SpecFunction> {
  const lines = readFileSync(join(import.meta.dirname, 'billmanager-ticket-functions.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim());
  const out = new Map<string, SpecFunction>();
  let current: SpecFunction | undefined;
  lines.forEach((line, i) => {
    const [, name] = /^(?:Function|Object): (\S+)$/.exec(line) ?? [];
    if (name) {
      current = { name, access: [], list: false, params: [] };
      out.set(name, current);
    } else if (current && line.startsWith('Result: ')) {
      current.list = line.includes('list of items');
    } else if (current && line.startsWith('Access level: ')) {
      current.access = line.slice(14).split(', ') as Level[];
    } else if (current && /^[a-z_]+$/.test(line) && TYPES.test(lines[i + 1] ?? '')) {
      current.params.push({ name: line, required: lines[i + 2] === 'Yes' });
    }
  });
  return out;
}

const SPEC = readSpec();

export function specOf(name: string): SpecFunction {
  const fn = SPEC.get(name);
  if (!fn) throw new Error(`${name} is not in the spec`);
  return fn;
}

export const SPEC_FUNCTIONS = [...SPEC.keys()];

/** The world's user for each access level of the spec. */
export const LOGIN: Record<Level, 'root' | 'admin' | 'alice'> = {
  root: 'root',
  admin: 'admin',
  user: 'alice',
};

/** A JSON call as the user of a level, over HTTP. */
export const as = (api: Api, level: Level) => api.as(LOGIN[level]);

/** The error of an answer, or undefined when it is none. */
export function failure(doc: DocNode) {
  return doc.error ? errorOf(doc) : undefined;
}

/** The flat fields of a form answer as strings: what a client would post back. */
export function formFields(doc: DocNode): Params {
  const out: Params = {};
  for (const [key, node] of Object.entries(doc)) {
    if (key === 'mlist' || key === 'slist' || Array.isArray(node) || typeof node !== 'object') continue;
    const text = (node as DocNode).$;
    out[key] = typeof text === 'string' ? text : '';
  }
  return out;
}
