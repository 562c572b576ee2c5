import { startWebApi, type WebApi } from '../../src/sandbox/web-api-server.ts';

export type { SlackCall } from '../../src/sandbox/web-api-server.ts';
export type { SlackUser as FakeUser, StoredMessage } from '../../src/sandbox/workspace.ts';

/**
 * The channels the tests post to, with the bot and the test people in each (test/helpers/slack-harness.ts).
 * Slack refuses any other channel (channel_not_found).
 */
const TEST_CHANNELS = [
  'CSUPPORT',
  'C_SUPPORT',
  'C_PREMIUM',
  'CGLOBEX',
  'CACME',
  'CPAID',
  'CSTAFF',
  'CELSEWHERE',
  'CSHARED',
  'C1',
  'C2',
];

/**
 * The tests' Slack: the sandbox's own Web API (src/sandbox), as strict as Slack, with the test
 * workspace's channels and the token the tests give the bot (xoxb-test).
 */
export async function startFakeSlack(opts: { team?: string } = {}): Promise<WebApi> {
  const fake = await startWebApi({ token: 'xoxb-test', team: opts.team });
  const members = ['UBOT', 'UROOT', 'UADMIN', 'UALICE', 'USTRANGER', 'UCOLL'];
  for (const id of TEST_CHANNELS) fake.addChannel(id, { members });
  return fake;
}

export type FakeSlack = WebApi;
