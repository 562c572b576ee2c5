import { describe, expect, it } from 'vitest';
import type { Priority } from '../../db/schema.ts';
import {
  countsDown,
  delay,
  effectivePriority,
  formatDateTime,
  formatDuration,
  isClosed,
  queueWeight,
  regulationDeadline,
  statusAfterOpen,
  statusOfCode,
} from '../../src/domain/tickets.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const MIN = 60_000;
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);
const ahead = (minutes: number) => new Date(NOW.getTime() + minutes * MIN);
const t = (over: Partial<Parameters<typeof queueWeight>[0]> = {}) => ({
  priority: 1 as Priority,
  highPriority: false,
  waitingSince: null,
  deadline: null,
  ...over,
});
const w = (over: Partial<Parameters<typeof queueWeight>[0]> = {}, premium = false) =>
  queueWeight(t(over), premium, NOW);

describe('the status rules', () => {
  it('closed and archived are closed; the open statuses are not', () => {
    expect([0, 1, 2, 3, 10].map((s) => isClosed(statusOfCode(String(s))))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(() => statusOfCode('4')).toThrow(RangeError);
    expect(() => statusOfCode(undefined)).toThrow(RangeError);
  });

  it('a deadline counts down only on an open ticket whose client waits', () => {
    const deadline = new Date('2026-03-02T14:00:00Z');
    expect(countsDown({ status: 2, deadline, waiting: true })).toBe(true);
    expect(countsDown({ status: 2, deadline, waiting: false })).toBe(false);
    expect(countsDown({ status: 3, deadline, waiting: true })).toBe(false);
    expect(countsDown({ status: 10, deadline, waiting: true })).toBe(false);
    expect(countsDown({ status: 0, deadline: null, waiting: true })).toBe(false);
  });
});

describe('queueWeight', () => {
  it('orders by priority, a manual raise above all priorities', () => {
    expect(w({ priority: 2 })).toBeGreaterThan(w({ priority: 1 }));
    expect(w({ priority: 1 })).toBeGreaterThan(w({ priority: 0 }));
    expect(w({ priority: 0, highPriority: true })).toBeGreaterThan(w({ priority: 2 }));
  });

  it('gives premium clients and longer waits more weight, the wait capped at two days', () => {
    expect(w({}, true)).toBe(w({}) + 500);
    expect(w({ waitingSince: ago(400) })).toBe(w({}) + 100);
    expect(w({ waitingSince: ago(2 * 1440) })).toBe(w({}) + 720);
    expect(w({ waitingSince: ago(30 * 1440) })).toBe(w({}) + 720);
  });

  it('rises as the deadline nears and jumps once it is overdue', () => {
    expect(w({ deadline: ahead(5000) })).toBe(w({}));
    expect(w({ deadline: ahead(600) })).toBe(w({}) + 400);
    expect(w({ deadline: ahead(0) })).toBe(w({}) + 1000);
    expect(w({ deadline: ago(1) })).toBe(w({}) + 1500);
  });

  it('keeps high priority above medium unless the medium one is overdue and has waited long', () => {
    const fresh = w({ priority: 2 });
    expect(w({ priority: 1, waitingSince: ago(60), deadline: ahead(60) })).toBeLessThan(fresh);
    expect(w({ priority: 1, waitingSince: ago(2880), deadline: ago(10) })).toBeGreaterThan(fresh);
  });

  it('is a positive integer', () => {
    expect(w({ priority: 0 })).toBe(1);
    expect(Number.isInteger(w({ waitingSince: ago(7), deadline: ahead(3.5) }))).toBe(true);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0d+00:00'],
    [59_999, '0d+00:00'],
    [90 * MIN, '0d+01:30'],
    [(2 * 1440 + 3 * 60 + 5) * MIN, '2d+03:05'],
    [(1440 - 1) * MIN, '0d+23:59'],
    [120 * 1440 * MIN, '120d+00:00'],
    [-5 * MIN, '0d+00:00'],
  ])('%d ms is %s', (ms, shown) => {
    expect(formatDuration(ms)).toBe(shown);
  });

  it('delay is empty when nobody waits', () => {
    expect(delay(null, NOW)).toBe('');
    expect(delay(ago(61), NOW)).toBe('0d+01:01');
  });
});

describe('ticket rules', () => {
  it('a manual raise counts as high priority for the regulation', () => {
    expect(effectivePriority({ priority: 0, highPriority: true })).toBe(2);
    expect(effectivePriority({ priority: 0, highPriority: false })).toBe(0);
  });

  it('the regulation deadline uses the minutes of the priority', () => {
    const dep = {
      regulation: { '0': 480, '1': 240, '2': 60 },
      calendar: { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] },
    };
    expect(regulationDeadline(dep, 2, NOW).toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(regulationDeadline(dep, 0, NOW).toISOString()).toBe('2026-03-03T10:00:00.000Z');
  });

  it('opening turns only new tickets into under review', () => {
    expect(statusAfterOpen(0)).toBe(1);
    expect(statusAfterOpen(2)).toBe(2);
    expect(statusAfterOpen(3)).toBe(3);
  });

  it('formats dates the BILLmanager way', () => {
    expect(formatDateTime(new Date('2026-03-02T10:05:09.123Z'))).toBe('2026-03-02 10:05:09');
  });
});
