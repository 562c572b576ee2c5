import { invalid, missed } from '../functions/errors.ts';
import type { Deps, Session } from '../functions/types.ts';
import { scheduleSettingsForm, updateScheduleSettings } from '../schedule/settings.ts';
import { pickSettings } from '../schedule/settings-params.ts';
import { type Doc, formDoc, okDoc } from './doc.ts';

/** The API name of a department's scheduled-work settings (not a ticket function, so not in the registry). */
export const DEPARTMENT_SCHEDULE = 'department.schedule';

/**
 * `func=department.schedule&elid=N`: without `sok` the department's settings as form fields; with
 * `sok=ok` the given settings change (only those named). Root only; refusals are TicketErrors.
 */
export async function departmentSchedule(
  deps: Deps,
  session: Session,
  params: Record<string, string>,
): Promise<Doc> {
  const elid = params.elid?.trim();
  if (!elid) throw missed('elid', 'Parameter elid (the department) is required');
  if (!/^\d{1,9}$/.test(elid)) throw invalid('elid', 'elid must be a department id', elid.slice(0, 100));
  const id = Number(elid);
  if (params.sok !== 'ok') {
    const form = await scheduleSettingsForm(deps, session, id);
    return formDoc({ kind: 'form', fields: { elid: id, name: form.department, ...form.values } });
  }
  await updateScheduleSettings(deps, session, id, pickSettings(params));
  return okDoc();
}
