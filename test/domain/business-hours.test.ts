import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import type { Calendar } from '../../db/schema.ts';
import { addBusinessMinutes } from '../../src/domain/business-hours.ts';

const BERLIN: Calendar = {
  timezone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: [],
};
/** A wall-clock instant in Berlin. */
const berlin = (y: number, mo: number, d: number, h: number, mi = 0) =>
  new Date(TZDate.tz('Europe/Berlin', y, mo - 1, d, h, mi).getTime());
const add = (start: Date, minutes: number, calendar: Calendar = BERLIN) =>
  addBusinessMinutes(start, minutes, calendar).toISOString();

describe('addBusinessMinutes', () => {
  it('counts inside one working day', () => {
    expect(add(berlin(2026, 3, 2, 10), 120)).toBe(berlin(2026, 3, 2, 12).toISOString());
    // Up to closing time exactly, the same day.
    expect(add(berlin(2026, 3, 2, 17), 60)).toBe(berlin(2026, 3, 2, 18).toISOString());
  });

  it('skips nights: the rest of the time runs from the next opening', () => {
    expect(add(berlin(2026, 3, 2, 17, 30), 60)).toBe(berlin(2026, 3, 3, 9, 30).toISOString());
    expect(add(berlin(2026, 3, 3, 7), 30)).toBe(berlin(2026, 3, 3, 9, 30).toISOString());
    expect(add(berlin(2026, 3, 3, 23), 30)).toBe(berlin(2026, 3, 4, 9, 30).toISOString());
  });

  it('skips weekends: Friday 17:00 + 240 business minutes is Monday 12:00', () => {
    expect(add(berlin(2026, 2, 27, 17), 240)).toBe(berlin(2026, 3, 2, 12).toISOString());
    expect(add(berlin(2026, 2, 27, 17), 240)).toBe('2026-03-02T11:00:00.000Z');
    // Started on Saturday: nothing counts before Monday's opening.
    expect(add(berlin(2026, 2, 28, 12), 30)).toBe(berlin(2026, 3, 2, 9, 30).toISOString());
  });

  it('spans several days at nine hours a day', () => {
    // Monday 09:00 + 3 × 540 minutes ends Wednesday at 18:00.
    expect(add(berlin(2026, 3, 2, 9), 3 * 540)).toBe(berlin(2026, 3, 4, 18).toISOString());
  });

  it('skips holidays, given as local dates', () => {
    const cal = { ...BERLIN, holidays: ['2026-03-02'] };
    expect(add(berlin(2026, 2, 27, 17), 240, cal)).toBe(berlin(2026, 3, 3, 12).toISOString());
    // A holiday at the start: the clock starts at the next working day's opening.
    expect(add(berlin(2026, 3, 2, 10), 60, cal)).toBe(berlin(2026, 3, 3, 10).toISOString());
  });

  it('keeps working hours on the wall clock across the spring-forward weekend', () => {
    // 2026-03-29 Berlin moves from CET (UTC+1) to CEST (UTC+2).
    expect(add(berlin(2026, 3, 27, 17), 240)).toBe('2026-03-30T10:00:00.000Z');
    expect(add(berlin(2026, 3, 27, 17), 240)).toBe(berlin(2026, 3, 30, 12).toISOString());
  });

  it('keeps working hours on the wall clock across the fall-back weekend', () => {
    // 2026-10-25 Berlin moves from CEST back to CET.
    expect(add(berlin(2026, 10, 23, 17), 240)).toBe('2026-10-26T11:00:00.000Z');
  });

  it('counts real minutes when working hours contain the DST change itself', () => {
    const night = { ...BERLIN, days: [7], start: '00:00', end: '06:00' };
    // Sunday 29 March 00:00–06:00 lasts five hours (02:00 → 03:00 is skipped).
    const springStart = berlin(2026, 3, 29, 0);
    expect(add(springStart, 300, night)).toBe(berlin(2026, 3, 29, 6).toISOString());
    expect(add(springStart, 301, night)).toBe(
      new Date(berlin(2026, 4, 5, 0).getTime() + 60_000).toISOString(),
    );
    // Sunday 25 October 00:00–06:00 lasts seven hours (02:00–03:00 happens twice).
    const fallStart = berlin(2026, 10, 25, 0);
    expect(add(fallStart, 420, night)).toBe(berlin(2026, 10, 25, 6).toISOString());
    expect(add(fallStart, 420, night)).toBe('2026-10-25T05:00:00.000Z');
  });

  it('zero minutes: the start itself in working hours, else the next opening', () => {
    expect(add(berlin(2026, 3, 2, 10), 0)).toBe(berlin(2026, 3, 2, 10).toISOString());
    expect(add(berlin(2026, 2, 27, 19), 0)).toBe(berlin(2026, 3, 2, 9).toISOString());
  });

  it('works in other time zones', () => {
    const tokyo = { ...BERLIN, timezone: 'Asia/Tokyo' };
    // Friday 17:00 Tokyo (08:00Z) + 120 → Monday 10:00 Tokyo (01:00Z).
    expect(add(new Date('2026-02-27T08:00:00Z'), 120, tokyo)).toBe('2026-03-02T01:00:00.000Z');
  });

  it('a round-the-clock calendar (00:00 to 24:00, every day) counts real time, across DST and midnights', () => {
    const always = { ...BERLIN, days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
    // Saturday 23:00 CET + 180 minutes: the clocks jump from 02:00 to 03:00 on Sunday.
    expect(add(berlin(2026, 3, 28, 23), 180, always)).toBe('2026-03-29T01:00:00.000Z');
    expect(add(berlin(2026, 3, 2, 23, 50), 20, always)).toBe(berlin(2026, 3, 3, 0, 10).toISOString());
    expect(add(berlin(2026, 3, 2, 10), 3 * 1440, always)).toBe(berlin(2026, 3, 5, 10).toISOString());
  });

  it('refuses a calendar without working days instead of looping forever', () => {
    expect(() => addBusinessMinutes(berlin(2026, 3, 2, 10), 60, { ...BERLIN, days: [] })).toThrow(RangeError);
  });
});
