import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { departments, users } from '../db/schema.ts';
import { startWebApi } from '../src/sandbox/web-api-server.ts';

export const SIGNING_SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
export const STAFF = 'UBENCHSTAFF';
export const CHANNEL = 'CBENCH';

/**
 * The sandbox's Slack Web API, in the benchmark process (in production Slack is elsewhere): its Block
 * Kit checks cost the benchmark's CPU, not the server's. It knows the staff member who sends the
 * requests and the department's channel; the database links both before the server starts, so the
 * server finds them without posting anything at start-up (SLACK_DEPARTMENT_CHANNELS would refresh
 * every open card of the department). `env` is what the server and the bare Bolt app are started with.
 */
export async function startFakeSlack(db: Db, staffId: number, departmentId: number) {
  const web = await startWebApi({ token: TOKEN });
  web.addUser({ id: STAFF, name: 'Bench Staff', tz: 'UTC' });
  web.addChannel(CHANNEL, { members: ['UBOT', STAFF] });
  await db.update(users).set({ slackUserId: STAFF }).where(eq(users.id, staffId));
  await db.update(departments).set({ slackChannel: CHANNEL }).where(eq(departments.id, departmentId));
  const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: web.apiUrl };
  return { web, env };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
