import { describe, expect, it } from 'vitest';
import { nextDigestAt } from '../../src/domain/digest.ts';
import { onCallAt } from '../../src/domain/rotation.ts';
import { formatRemaining, supersededStage, warningPlan } from '../../src/domain/sla.ts';
import { warningMessage } from '../../src/slack/views/alerts.ts';
import { ROTATION } from './fixture.ts';

describe('warning plan', () => {
  const deadline = new Date('2026-03-02T14:00:00Z');
  it('keeps the stages still ahead, always the breach, sent at once if already past', () => {
    expect(warningPlan(deadline, [0, 60, 15, 15], new Date('2026-03-02T13:30:00Z'), true)).toEqual([
      { stage: 15, at: new Date('2026-03-02T13:45:00Z') },
      { stage: 0, at: deadline },
    ]);
    const late = new Date('2026-03-02T15:00:00Z');
    expect(warningPlan(deadline, [60, 15, 0], late, true)).toEqual([{ stage: 0, at: late }]);
    expect(warningPlan(deadline, [], late, true)).toEqual([]);
  });
  it('does not announce a passed deadline twice in one wait', () => {
    const late = new Date('2026-03-02T15:00:00Z');
    expect(warningPlan(deadline, [60, 15, 0], late, false)).toEqual([]);
  });
  it('a stage is superseded when a later one is due as well', () => {
    const stages = [60, 15, 0];
    const afterDowntime = new Date('2026-03-02T16:00:00Z');
    expect(stages.filter((s) => !supersededStage(deadline, s, stages, afterDowntime))).toEqual([0]);
    const between = new Date('2026-03-02T13:50:00Z');
    expect(stages.filter((s) => !supersededStage(deadline, s, stages, between))).toEqual([15, 0]);
  });
  it('reads remaining time for people', () => {
    expect(formatRemaining(deadline, new Date('2026-03-02T12:54:30Z'))).toBe('1 h 05 min left');
    expect(formatRemaining(deadline, new Date('2026-03-02T14:00:01Z'))).toBe('overdue by 1 min');
    // The 2-minute warning goes out a second or so late: it still reads two minutes.
    expect(formatRemaining(deadline, new Date('2026-03-02T13:58:01.200Z'))).toBe('2 min left');
    expect(formatRemaining(deadline, new Date('2026-03-02T13:57:31Z'))).toBe('2 min left');
    expect(formatRemaining(deadline, new Date('2026-02-27T14:00:00Z'))).toBe('3 d 0 h left');
  });
});

describe('warning text', () => {
  it('reads the deadline and the time left to the nearest minute, so the two agree', () => {
    // The 2-minute warning of a deadline at 10:35:40 Berlin, sent a second late.
    const due = new Date('2026-03-02T09:35:40Z');
    const { text } = warningMessage(
      { id: 7, name: 'Mail' },
      2,
      due,
      'Europe/Berlin',
      null,
      new Date('2026-03-02T09:33:41Z'),
    );
    expect(text).toBe(
      ':hourglass_flowing_sand: Ticket #7 “Mail” must be answered by Mon 2 Mar 10:36 (Europe/Berlin): 2 min left.',
    );
  });
});

describe('rotation', () => {
  it('hands over at 09:00 local on both sides of a daylight-saving change', () => {
    // Saturday 28 March 09:30 CET is Anna's (day 26); Sunday 29 March clocks go forward, Ben at 09:00 CEST.
    expect(onCallAt(ROTATION, new Date('2026-03-28T08:30:00Z'))).toEqual({
      current: 'UANNA',
      next: { target: 'UBEN', from: new Date('2026-03-29T07:00:00Z') },
    });
    expect(onCallAt(ROTATION, new Date('2026-03-29T06:59:59Z')).current).toBe('UANNA');
    expect(onCallAt(ROTATION, new Date('2026-03-29T07:00:00Z')).current).toBe('UBEN');
  });
  it('weekly shifts, before the start, and a user group', () => {
    const weekly = {
      ...ROTATION,
      rotation: {
        handover: '09:00',
        timezone: 'Europe/Berlin',
        start: '2026-03-02',
        shiftHours: 168,
        members: ['U1', 'U2', 'U3'],
      },
    };
    expect(onCallAt(weekly, new Date('2026-03-16T08:00:00Z')).current).toBe('U3');
    expect(onCallAt(weekly, new Date('2026-03-01T12:00:00Z')).current).toBe('U3');
    expect(onCallAt({ usergroup: 'S1', chain: [], ackMinutes: 5 }, new Date())).toEqual({
      current: 'subteam:S1',
      next: null,
    });
    expect(onCallAt(null, new Date())).toEqual({ current: null, next: null });
  });
});

describe('digest time', () => {
  it('is local wall-clock time, also on DST days and for times the change skips', () => {
    expect(nextDigestAt('09:00', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'))).toEqual(
      new Date('2026-03-29T07:00:00Z'),
    );
    expect(nextDigestAt('09:00', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'))).toEqual(
      new Date('2026-10-25T08:00:00Z'),
    );
    expect(nextDigestAt('02:30', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'))).toEqual(
      new Date('2026-03-29T01:00:00Z'),
    );
    expect(nextDigestAt('09:00', 'Asia/Tokyo', new Date('2026-03-02T00:00:00Z'))).toEqual(
      new Date('2026-03-03T00:00:00Z'),
    );
  });
});
