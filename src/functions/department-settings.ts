import { z } from 'zod';
import type { Calendar, Department, OnCall, Regulation } from '../../db/schema.ts';
import { DEFAULT_WARNING_STAGES } from '../domain/sla.ts';
import { TicketError } from './errors.ts';

/**
 * A department's scheduled-work settings as flat text parameters, the same for every front door:
 * BILLmanager-style API parameters and the fields of the Slack settings modal share these names.
 */
export const SETTINGS_FIELDS = [
  'regulation_0',
  'regulation_1',
  'regulation_2',
  'timezone',
  'workdays',
  'work_start',
  'work_end',
  'holidays',
  'warning_stages',
  'oncall_usergroup',
  'oncall_members',
  'oncall_shift_hours',
  'oncall_handover',
  'oncall_timezone',
  'oncall_start',
  'oncall_chain',
  'oncall_ack_minutes',
  'digest_time',
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
export type FlatSettings = Record<SettingsField, string>;

/** Each setting as people read it (the modal's label, and the name a refusal gives it) and a hint. */
export const SETTINGS_LABELS: Record<SettingsField, [label: string, hint: string]> = {
  regulation_0: ['Response time, low priority (business minutes)', ''],
  regulation_1: ['Response time, medium priority (business minutes)', ''],
  regulation_2: ['Response time, high priority (business minutes)', ''],
  timezone: ['Calendar time zone', 'e.g. Europe/Berlin'],
  workdays: ['Working days', '1 = Monday … 7 = Sunday, comma separated'],
  work_start: ['Working hours start', 'HH:MM'],
  work_end: ['Working hours end', 'HH:MM'],
  holidays: ['Holidays', 'YYYY-MM-DD, comma separated'],
  warning_stages: ['SLA warning stages', 'minutes before the deadline, 0 = at breach; e.g. 60,15,0'],
  oncall_usergroup: ['On-call user group', 'S… id; or fill in a rotation below'],
  oncall_members: ['Rotation members', 'Slack user ids U…, in order'],
  oncall_shift_hours: ['Rotation shift length (hours)', 'e.g. 24 or 168'],
  oncall_handover: ['Rotation hand-over time', 'HH:MM'],
  oncall_timezone: ['Rotation time zone', 'empty = calendar time zone'],
  oncall_start: ['Rotation start date', 'YYYY-MM-DD: the first member takes over then'],
  oncall_chain: ['Escalation chain', 'U… or subteam:S…, in order after the on-call'],
  oncall_ack_minutes: ['Minutes to Ack before escalating', 'empty = no on-call paging'],
  digest_time: ['Daily digest time', 'HH:MM in the calendar time zone; empty = no digest'],
};
const label = (f: SettingsField) => SETTINGS_LABELS[f][0];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
/** The end of the working day may be 24:00: with 00:00 to 24:00 every day, a round-the-clock calendar. */
const endOfDay = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM, up to 24:00');
const day = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'must be a date YYYY-MM-DD');
const timezone = z.string().refine(isTimeZone, 'must be a time zone such as Europe/Berlin');
const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const userId = /^[UW][A-Z0-9]{2,20}$/;
const target = z
  .string()
  .refine(
    (t) => userId.test(t) || /^subteam:S[A-Z0-9]{2,20}$/.test(t),
    'must be Slack user ids (U…) or subteam:S…',
  );

/** Parses flat parameters into the department's settings; empty on-call and digest fields switch them off. */
export const settingsSchema = z
  .object({
    regulation_0: int(1, 43_200),
    regulation_1: int(1, 43_200),
    regulation_2: int(1, 43_200),
    timezone,
    workdays: z
      .string()
      .transform(list)
      .pipe(
        z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'], 'must be weekdays 1 (Mon) to 7 (Sun)')).min(1),
      ),
    work_start: hhmm,
    work_end: endOfDay,
    holidays: z.string().transform(list).pipe(z.array(day)),
    warning_stages: z
      .string()
      .transform(list)
      .pipe(z.array(int(0, 10_080)).max(6, 'at most 6 stages')),
    oncall_usergroup: z.union([
      z.literal(''),
      z.string().regex(/^S[A-Z0-9]{2,20}$/, 'must be a user group id S…'),
    ]),
    oncall_members: z
      .string()
      .transform(list)
      .pipe(z.array(z.string().regex(userId, 'must be Slack user ids U…'))),
    oncall_shift_hours: z.union([z.literal(''), int(1, 24 * 28)]),
    oncall_handover: z.union([z.literal(''), hhmm]),
    oncall_timezone: z.union([z.literal(''), timezone]),
    oncall_start: z.union([z.literal(''), day]),
    oncall_chain: z.string().transform(list).pipe(z.array(target).max(5, 'at most 5 steps')),
    oncall_ack_minutes: z.union([z.literal(''), int(1, 1440)]),
    digest_time: z.union([z.literal(''), hhmm]),
  })
  .superRefine((v, ctx) => {
    // Zod checks the whole form even when a field failed: the order only means something for two times.
    const times = hhmm.safeParse(v.work_start).success && endOfDay.safeParse(v.work_end).success;
    if (times && v.work_start >= v.work_end)
      ctx.addIssue({
        code: 'custom',
        path: ['work_end'],
        message: `must be after ${label('work_start')}`,
      });
    if (v.oncall_usergroup && v.oncall_members.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['oncall_members'],
        message: `cannot go with an ${label('oncall_usergroup')}: give a user group or a rotation, not both`,
      });
    if (v.oncall_members.length > 0)
      for (const f of ['oncall_shift_hours', 'oncall_handover', 'oncall_start'] as const)
        if (v[f] === '') ctx.addIssue({ code: 'custom', path: [f], message: 'is needed for a rotation' });
    const anyone = v.oncall_usergroup || v.oncall_members.length > 0 || v.oncall_chain.length > 0;
    if (anyone && v.oncall_ack_minutes === '')
      ctx.addIssue({ code: 'custom', path: ['oncall_ack_minutes'], message: 'is needed for on-call' });
  })
  .transform((v) => ({
    regulation: { '0': v.regulation_0, '1': v.regulation_1, '2': v.regulation_2 } satisfies Regulation,
    calendar: {
      timezone: v.timezone,
      days: v.workdays.map(Number).sort(),
      start: v.work_start,
      end: v.work_end,
      holidays: v.holidays,
    } satisfies Calendar,
    warningStages: [...new Set(v.warning_stages)].sort((a, b) => b - a),
    oncall: toOnCall(v),
    digestTime: v.digest_time || null,
  }));
export type ScheduleSettings = z.output<typeof settingsSchema>;

/**
 * The settings parsed, or a refusal naming every bad field at once by its label, with the message of
 * each field keyed by its parameter (the Slack modal shows them per input).
 */
export function parseSettings(merged: FlatSettings): ScheduleSettings {
  const parsed = settingsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const fields: Partial<Record<SettingsField, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = SETTINGS_FIELDS.find((f) => f === issue.path[0]);
    if (field) fields[field] ??= `${label(field)} ${issue.message}`;
  }
  const [first] = SETTINGS_FIELDS.filter((f) => fields[f] !== undefined);
  const message = Object.values(fields).join('; ') || parsed.error.message;
  throw new TicketError('value', first ?? 'settings', message, first && merged[first], fields);
}

function toOnCall(v: {
  oncall_usergroup: string;
  oncall_members: string[];
  oncall_shift_hours: number | '';
  oncall_handover: string;
  oncall_timezone: string;
  oncall_start: string;
  oncall_chain: string[];
  oncall_ack_minutes: number | '';
  timezone: string;
}): OnCall | null {
  if (v.oncall_ack_minutes === '') return null;
  const oncall: OnCall = { chain: v.oncall_chain, ackMinutes: v.oncall_ack_minutes };
  if (v.oncall_usergroup) oncall.usergroup = v.oncall_usergroup;
  if (v.oncall_members.length > 0)
    oncall.rotation = {
      members: v.oncall_members,
      shiftHours: Number(v.oncall_shift_hours),
      handover: v.oncall_handover,
      timezone: v.oncall_timezone || v.timezone,
      start: v.oncall_start,
    };
  return oncall;
}

/** A department's current settings as flat parameters: the form, and the base a partial change lands on. */
export function flatSettings(dep: Department): FlatSettings {
  const o = dep.oncall;
  const r = o?.rotation;
  return {
    regulation_0: String(dep.regulation['0']),
    regulation_1: String(dep.regulation['1']),
    regulation_2: String(dep.regulation['2']),
    timezone: dep.calendar.timezone,
    workdays: dep.calendar.days.join(','),
    work_start: dep.calendar.start,
    work_end: dep.calendar.end,
    holidays: dep.calendar.holidays.join(','),
    warning_stages: (dep.warningStages ?? DEFAULT_WARNING_STAGES).join(','),
    oncall_usergroup: o?.usergroup ?? '',
    oncall_members: r?.members.join(',') ?? '',
    oncall_shift_hours: r ? String(r.shiftHours) : '',
    oncall_handover: r?.handover ?? '',
    oncall_timezone: r?.timezone ?? '',
    oncall_start: r?.start ?? '',
    oncall_chain: o?.chain.join(',') ?? '',
    oncall_ack_minutes: o ? String(o.ackMinutes) : '',
    digest_time: dep.digestTime ?? '',
  };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** Only the settings among a front door's parameters (an API request also carries func, out, elid, sok…). */
export function pickSettings(params: Record<string, string | undefined>): Partial<FlatSettings> {
  const picked: Partial<FlatSettings> = {};
  for (const f of SETTINGS_FIELDS) {
    const value = params[f];
    if (value !== undefined) picked[f] = value;
  }
  return picked;
}
