import type { ModalView } from '@slack/types';
import { type FlatSettings, SETTINGS_FIELDS, SETTINGS_LABELS } from '../../functions/department-settings.ts';
import type { Cell } from '../../functions/types.ts';
import { FIELD, VIEW } from '../ids.ts';
import { plain } from './blocks.ts';

/** The root settings modal of a department: one input per flat setting, block_id = its name. */
export function settingsModal(
  departmentId: number,
  department: string,
  values: Partial<Record<string, Cell>>,
): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.scheduleSettings,
    private_metadata: String(departmentId),
    title: { type: 'plain_text', text: 'Department settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: plain(department, 2000) },
      ...SETTINGS_FIELDS.map((field) => {
        const [label, hint] = SETTINGS_LABELS[field];
        const value = values[field];
        return {
          type: 'input' as const,
          block_id: field,
          optional: true,
          label: plain(label, 2000),
          ...(hint ? { hint: plain(hint, 2000) } : {}),
          element: {
            type: 'plain_text_input' as const,
            action_id: FIELD,
            ...(value ? { initial_value: String(value) } : {}),
          },
        };
      }),
    ],
  };
}

/** The submitted modal back as flat settings (an emptied field is an empty string). */
export function settingsFromView(view: {
  private_metadata?: string;
  state: { values: Record<string, Record<string, { value?: string | null }>> };
}): { departmentId: number; values: Partial<FlatSettings> } {
  const values: Partial<FlatSettings> = {};
  for (const f of SETTINGS_FIELDS) values[f] = view.state.values[f]?.[FIELD]?.value ?? '';
  return { departmentId: Number(view.private_metadata), values };
}
