import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TicketError } from '../../src/functions/errors.ts';
import { amount, date, flag, idList, parseParams, posInt, time } from '../../src/functions/params.ts';

const schema = z.object({
  elid: idList,
  id: posInt.optional(),
  on: flag.optional(),
  day: date.optional(),
  at: time.optional(),
  sum: amount.optional(),
});
const parse = (raw: Record<string, string>) => parseParams(schema, { elid: '1', ...raw });
const refusal = (raw: Record<string, string>) => {
  try {
    parse(raw);
  } catch (error) {
    if (error instanceof TicketError) return { type: error.type, object: error.object };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('idList', () => {
  it('reads "1, 2, 3" and "1,2,3", dropping duplicates', () => {
    expect(parse({ elid: '1, 2, 3' }).elid).toEqual([1, 2, 3]);
    expect(parse({ elid: '3,1,3' }).elid).toEqual([3, 1]);
    expect(parse({ elid: ' 7 ' }).elid).toEqual([7]);
  });

  it.each(['1,,2', '0', '-1', 'abc', '1.5', '1;2', '99999999999'])('refuses %j as a value', (elid) => {
    expect(refusal({ elid })).toEqual({ type: 'value', object: 'elid' });
  });

  it('refuses more than 500 identifiers', () => {
    const many = Array.from({ length: 501 }, (_, i) => i + 1).join(',');
    expect(refusal({ elid: many })).toEqual({ type: 'value', object: 'elid' });
  });
});

describe('posInt', () => {
  it('accepts ids the database can hold and nothing larger', () => {
    expect(parse({ id: '2147483647' }).id).toBe(2147483647);
    expect(refusal({ id: '2147483648' })).toEqual({ type: 'value', object: 'id' });
    expect(refusal({ id: '0' })).toEqual({ type: 'value', object: 'id' });
    expect(refusal({ id: '1e3' })).toEqual({ type: 'value', object: 'id' });
  });
});

describe('flag', () => {
  it.each([
    ['on', true],
    ['ON', true],
    ['yes', true],
    ['true', true],
    ['1', true],
    ['off', false],
    ['no', false],
    ['false', false],
    ['0', false],
  ])('%s is %s', (value, expected) => {
    expect(parse({ on: value }).on).toBe(expected);
  });

  it('refuses anything else', () => {
    expect(refusal({ on: 'maybe' })).toEqual({ type: 'value', object: 'on' });
  });
});

describe('date and time', () => {
  it('accepts calendar dates, leap days included', () => {
    expect(parse({ day: '2026-02-28' }).day).toBe('2026-02-28');
    expect(parse({ day: '2028-02-29' }).day).toBe('2028-02-29');
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-4-1',
    '01.03.2026',
    '2026-03-01T10:00',
  ])('refuses the date %s', (day) => {
    expect(refusal({ day })).toEqual({ type: 'value', object: 'day' });
  });

  it('accepts HH:MM and HH:MM:SS, refuses impossible times', () => {
    expect(parse({ at: '23:59:59' }).at).toBe('23:59:59');
    expect(parse({ at: '08:30' }).at).toBe('08:30');
    for (const at of ['24:00', '12:60', '7:00', '12:00:61'])
      expect(refusal({ at })).toEqual({ type: 'value', object: 'at' });
  });
});

describe('amount', () => {
  it('takes positive amounts with at most two decimals', () => {
    expect(parse({ sum: '25.50' }).sum).toBe('25.50');
    for (const sum of ['0', '0.00', '-1', '1.234', '1,5', 'NaN'])
      expect(refusal({ sum })).toEqual({ type: 'value', object: 'sum' });
  });
});

describe('parseParams', () => {
  it('treats empty strings as absent: a required one is missed', () => {
    expect(refusal({ elid: '' })).toEqual({ type: 'missed', object: 'elid' });
    expect(refusal({ elid: '   ' })).toEqual({ type: 'missed', object: 'elid' });
    expect(parse({ id: '' }).id).toBeUndefined();
  });

  it('names the offending parameter and keeps its value', () => {
    try {
      parse({ id: 'x1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TicketError);
      expect(error).toMatchObject({ type: 'value', object: 'id', value: 'x1' });
      expect((error as Error).message).toContain('id');
    }
  });

  it('refuses over-long values, NUL characters and broken Unicode in any parameter', () => {
    expect(refusal({ unknown: 'x'.repeat(100_001) })).toEqual({ type: 'value', object: 'unknown' });
    expect(refusal({ unknown: 'a\u0000b' })).toEqual({ type: 'value', object: 'unknown' });
    expect(refusal({ unknown: 'a\ud800b' })).toEqual({ type: 'value', object: 'unknown' });
    // Well-formed text outside the BMP is fine.
    expect(parse({ unknown: 'ok 😀' }).elid).toEqual([1]);
  });
});
