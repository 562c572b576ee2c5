import { SCHEDULE_IDS } from '../ids.ts';
import { type FlatSettings, SETTINGS_FIELDS, type SettingsField } from '../settings-params.ts';

const LABELS: Record<SettingsField, [label: string, hint: string]> = {
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

/** The root settings modal of a department: one input per flat setting, block_id = its name. */
export function settingsModal(departmentId: number, department: string, values: FlatSettings) {
  return {
    type: 'modal',
    callback_id: SCHEDULE_IDS.settingsView,
    private_metadata: String(departmentId),
    title: { type: 'plain_text', text: 'Department settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: department.slice(0, 2000) } },
      ...SETTINGS_FIELDS.map((field) => ({
        type: 'input',
        block_id: field,
        optional: true,
        label: { type: 'plain_text', text: LABELS[field][0] },
        ...(LABELS[field][1] ? { hint: { type: 'plain_text', text: LABELS[field][1] } } : {}),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          ...(values[field] ? { initial_value: values[field] } : {}),
        },
      })),
    ],
  };
}

/** The submitted modal back as flat settings (an emptied field is an empty string). */
export function settingsFromView(view: {
  private_metadata?: string;
  state: { values: Record<string, Record<string, { value?: string | null }>> };
}): { departmentId: number; values: FlatSettings } {
  const values = Object.fromEntries(
    SETTINGS_FIELDS.map((f) => [f, view.state.values[f]?.value?.value ?? '']),
  ) as FlatSettings;
  return { departmentId: Number(view.private_metadata), values };
}
