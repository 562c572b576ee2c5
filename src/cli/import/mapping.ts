import type { SourceRow } from './source.ts';

/** What was imported so far, by source id and by name (for sources that name instead of numbering). */
export interface Maps {
  tag: string;
  ids: Record<string, Record<string, number>>;
  names: Record<string, Record<string, number>>;
}

/**
 * Source rows → parameters of our `.edit` functions, or a sentence saying why the row cannot be
 * imported. Lists show switches only when on (BILLmanager's convention), so an absent one is off;
 * other absent fields are left out, keeping what is here (or the default).
 */
const on = (value: string | undefined) => (value === 'on' ? 'on' : 'off');
const present = (entries: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;

/** The local id of a referenced object: by the source's id column, else by its name column. */
export function ref(maps: Maps, kind: string, id: string | undefined, name: string | undefined) {
  const local =
    (id !== undefined ? maps.ids[kind]?.[id] : undefined) ?? (name ? maps.names[kind]?.[name] : undefined);
  return local === undefined ? undefined : String(local);
}

export function projectParams(row: SourceRow) {
  if (!row.name) return 'the provider has no name';
  return { name: row.name };
}

export function departmentParams(row: SourceRow, maps: Maps) {
  if (!row.name) return 'the department has no name';
  return present({
    name: row.name,
    project: ref(maps, 'project', row.project_id, row.project),
    staff_only: on(row.staff_only),
    paid_support: on(row.paid_support),
    incident_price: row.incident_price,
  });
}

export function accountParams(row: SourceRow, maps: Maps) {
  if (!row.name) return 'the account has no name';
  return present({
    name: row.name,
    project: ref(maps, 'project', row.project_id, row.project),
    balance: row.balance,
    premium: on(row.premium),
    groups: row.groups,
    attitude: ['-1', '0', '1'].includes(row.attitude ?? '') ? row.attitude : undefined,
    incident_count: row.incident_count,
  });
}

/** Passwords never leave the source (nor are they shown there): imported people get none. */
export function userParams(row: SourceRow, maps: Maps) {
  const account = ref(maps, 'account', row.account_id, row.account);
  if (!account)
    return `its client account (${row.account_id ?? row.account ?? 'none given'}) was not imported`;
  if (!row.login) return 'the user has no login';
  return present({
    account,
    login: row.login,
    name: row.name,
    email: row.email && /^[^@\s]+@[^@\s]+$/.test(row.email) ? row.email : undefined,
  });
}

export function adminParams(row: SourceRow, maps: Maps) {
  if (!row.login) return 'the staff member has no login';
  const departments = (row.departments ?? '')
    .split(',')
    .map((id) => ref(maps, 'department', id.trim(), id.trim()))
    .filter((id) => id !== undefined);
  return present({
    login: row.login,
    name: row.name,
    level: row.level === 'root' ? 'root' : 'admin',
    departments: departments.length ? departments.join(',') : 'none',
  });
}
