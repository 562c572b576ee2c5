import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';

/**
 * A Bolt app that does nothing but ack, in a process of its own (slack-ack.ts spawns it): the floor
 * the bot's ack is measured against, on the same ExpressReceiver and signing secret, sharing its
 * event loop with nothing. Prints `listening <port>` once it accepts requests.
 */
const app = express();
const bare = new App({
  token: process.env.SLACK_BOT_TOKEN,
  // Who the bot is, given: Bolt then never calls auth.test, and the bare app does nothing but ack.
  botId: 'BBOT',
  botUserId: 'UBOT',
  tokenVerificationEnabled: false,
  receiver: new ExpressReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET as string,
    endpoints: '/slack/events',
    app,
  }),
});
bare.command('/ticket', async ({ ack }) => ack());
bare.action(/.*/, async ({ ack }) => ack());
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
