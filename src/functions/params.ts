import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { TicketError } from './errors.ts';

/** Ids are Postgres `integer`s: a larger number would fail in the database instead of being refused. */
const MAX_ID = 2_147_483_647;
const isId = (n: number) => n > 0 && n <= MAX_ID;

/**
 * Parameter types of the spec, parsed from strings the way an HTTP form sends them.
 * Empty strings count as absent (forms send every field).
 */
export const posInt = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a positive integer')
  .transform(Number)
  .refine(isId, `must be a positive integer up to ${MAX_ID}`);

/** A whole number from 0 (0 often means "none"). */
export const nonNegative = z
  .string()
  .trim()
  .regex(/^\d{1,9}$/, 'must be a whole number')
  .transform(Number);

/** "123, 456" or "123,456": one or more positive integers. */
export const idList = z
  .string()
  .transform((s) => s.split(',').map((part) => part.trim()))
  .refine((parts) => parts.every((p) => /^\d+$/.test(p) && isId(Number(p))), {
    message: 'must be one or more positive integers separated by commas',
  })
  .transform((parts) => [...new Set(parts.map(Number))])
  .refine((ids) => ids.length <= 500, 'at most 500 identifiers at once');

const FLAG_ON = ['on', 'yes', 'true', '1'];
const FLAG_OFF = ['off', 'no', 'false', '0'];
export const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => FLAG_ON.includes(s) || FLAG_OFF.includes(s), 'must be on or off')
  .transform((s) => FLAG_ON.includes(s));

/** `sok`: any non-empty value submits. */
export const sok = z.string().transform(() => true as const);

export const priority = z
  .enum(['0', '1', '2'], { message: 'must be 0 (low), 1 (medium) or 2 (high)' })
  .transform((s) => Number(s) as 0 | 1 | 2);

export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const date = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a calendar date');

export const time = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a time HH:MM:SS');

/** A positive amount of money with at most two decimals. */
export const amount = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be an amount like 25 or 25.50')
  .refine((s) => Number(s) > 0, 'must be greater than zero');

const MAX_PARAM_LENGTH = 100_000;
/** NUL, or a surrogate without its pair (with the `u` flag a proper pair is one code point). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is refused here.
const NOT_TEXT = /[\u0000\uD800-\uDFFF]/u;

/**
 * Parses raw string parameters with a function's schema; zod issues become TicketErrors. Empty values
 * count as absent, unless `keepEmpty` (a settings form, where emptying a field switches it off).
 */
export function parseParams<S extends z.ZodType>(
  schema: S,
  raw: Record<string, unknown>,
  keepEmpty = false,
): z.output<S> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const str = Array.isArray(value) ? value.map(String).join(', ') : String(value);
    if (str.length > MAX_PARAM_LENGTH) {
      throw new TicketError('value', key, `Parameter ${key} is too long`);
    }
    // Every parameter lands in the audit log (jsonb), which cannot hold NUL or lone surrogates.
    if (NOT_TEXT.test(key) || NOT_TEXT.test(str)) {
      throw new TicketError('value', key, `Parameter ${key} contains characters that are not text`);
    }
    if (keepEmpty || str.trim() !== '') cleaned[key] = str;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  // Every bad parameter, the first issue of each (`fields`), so a form marks them all at once; the
  // first is the refusal callers that report one (the API) report.
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const param = String(issue.path[0] ?? 'params');
    fields[param] ??=
      cleaned[param] === undefined ? `Parameter ${param} is required` : `Parameter ${param} ${issue.message}`;
  }
  const issue = one(result.error.issues, 'zod issue');
  const param = String(issue.path[0] ?? 'params');
  const given = cleaned[param];
  const type = given === undefined ? 'missed' : 'value';
  throw new TicketError(type, param, fields[param] ?? param, given?.slice(0, 200), fields);
}
