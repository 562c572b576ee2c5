import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { TicketError } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { otherHome, staffHome } from '../views/home.ts';
import { type ActionArgs, guarded } from './interaction.ts';

/** App Home: staff see their own queue; anyone else is told where to go. */
async function publishHome(
  env: SlackDeps,
  client: AllMiddlewareArgs['client'],
  slackUserId: string,
): Promise<void> {
  let view: ReturnType<typeof staffHome>;
  try {
    const { session, account } = await staffActor(env, slackUserId);
    const list = await call(env.deps, session, 'ticket', { p_cnt: '1000' });
    const tz = (await env.directory.profile(slackUserId)).timezone ?? account.timezone;
    view = staffHome(account.name, account.id, list.rows, env.deps.now(), tz);
  } catch (error) {
    if (!(error instanceof TicketError)) throw error;
    view = otherHome(`${error.message}\nClients: \`/support\` lists your tickets.`);
  }
  await client.views.publish({ user_id: slackUserId, view });
}

export function homeOpened(env: SlackDeps) {
  return async (args: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (args.event.tab !== 'home') return;
    await publishHome(env, args.client, args.event.user);
  };
}

export function homeRefresh(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, () => publishHome(env, args.client, args.body.user.id));
  };
}
