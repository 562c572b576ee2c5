import { validateView } from './block-kit.ts';
import type { Grants } from './grants.ts';
import { type Answer, fail, type Method, type Params } from './web-api-content.ts';
import type { Workspace } from './workspace.ts';

/** Slack stacks at most 3 modals. */
const MAX_STACK = 3;

/** A view as views.* take it: the surface it is for, Block Kit valid for that surface. */
function viewError(view: unknown, surface: 'modal' | 'home'): Answer | undefined {
  const v = view as { type?: string } | undefined;
  if (!v || typeof v !== 'object' || v.type !== surface) return fail('invalid_arguments');
  const errors = validateView(view);
  return errors.length > 0 ? fail('invalid_arguments', { errors }) : undefined;
}

/**
 * views.open / push / update / publish over the workspace: a trigger_id opens one modal within 3 s,
 * stacks stop at 3, a stale hash is refused (hash_conflict), every view is Block Kit Slack accepts.
 */
export function viewMethods(ws: Workspace, grants: Grants): Record<string, Method> {
  const viewOut = (v: { id: string; hash: string; view: Params }) => ({ ...v.view, id: v.id, hash: v.hash });
  return {
    'views.open': (p) => {
      const grant = grants.useTrigger(p.trigger_id);
      if ('error' in grant) return fail(grant.error);
      const invalid = viewError(p.view, 'modal');
      if (invalid) return invalid;
      ws.closeViews(grant.user, true);
      const v = ws.newView(grant.user, p.view as Params);
      ws.stacks.set(grant.user, [v.id]);
      ws.changed({ kind: 'view', user: grant.user });
      return { ok: true, view: viewOut(v) };
    },
    'views.push': (p) => {
      const grant = grants.useTrigger(p.trigger_id);
      if ('error' in grant) return fail(grant.error);
      const invalid = viewError(p.view, 'modal');
      if (invalid) return invalid;
      const stack = ws.stacks.get(grant.user) ?? [];
      if (stack.length === 0) return fail('not_found');
      if (stack.length >= MAX_STACK) return fail('push_limit_reached');
      const v = ws.newView(grant.user, p.view as Params);
      stack.push(v.id);
      ws.changed({ kind: 'view', user: grant.user });
      return { ok: true, view: viewOut(v) };
    },
    'views.update': (p) => {
      const v = p.view_id
        ? ws.views.get(String(p.view_id))
        : [...ws.views.values()].find((x) => x.view.external_id === p.external_id);
      if (!v || v.closed) return fail('not_found');
      if (p.hash && p.hash !== v.hash) return fail('hash_conflict');
      const invalid = viewError(p.view, v.view.type === 'home' ? 'home' : 'modal');
      if (invalid) return invalid;
      v.view = p.view as Params;
      v.hash = ws.nextId('h');
      ws.changed({ kind: 'view', user: v.user });
      return { ok: true, view: viewOut(v) };
    },
    'views.publish': (p) => {
      const user = String(p.user_id ?? '');
      if (!ws.users.has(user)) return fail('user_not_found');
      const invalid = viewError(p.view, 'home');
      if (invalid) return invalid;
      const existing = ws.views.get(ws.homes.get(user) ?? '');
      if (existing && p.hash && p.hash !== existing.hash) return fail('hash_conflict');
      const v = existing ?? ws.newView(user, p.view as Params);
      v.view = p.view as Params;
      v.hash = ws.nextId('h');
      ws.homes.set(user, v.id);
      ws.changed({ kind: 'view', user });
      return { ok: true, view: viewOut(v) };
    },
  };
}
