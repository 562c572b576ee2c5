import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { users } from '../../db/schema.ts';
import { createSlack } from '../../src/slack/slack-app.ts';
import { useTestDb } from '../helpers/setup.ts';
import { startFakeSlack } from '../helpers/slack-fake.ts';
import { makeWorld } from '../helpers/world.ts';

const db = useTestDb();

describe('Socket Mode', () => {
  it('connects through apps.connections.open, answers a command and a modal submission over the socket', async () => {
    const w = await makeWorld(db.db);
    await db.db.update(users).set({ slackUserId: 'UADMIN' }).where(eq(users.id, w.ids.admin.id));
    const fake = await startFakeSlack();
    fake.addUser({ id: 'UADMIN', name: 'Adam Admin', tz: 'Europe/Berlin' });
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    fake.setSocketUrl(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`);
    const received: Record<string, unknown>[] = [];
    const connected = new Promise<WebSocket>((resolve) =>
      wss.on('connection', (socket) => {
        socket.on('message', (data) => received.push(JSON.parse(String(data))));
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1 }));
        resolve(socket);
      }),
    );
    const slack = createSlack(
      w.deps,
      {
        botToken: 'xoxb-test',
        appToken: 'xapp-test',
        apiUrl: fake.apiUrl,
        rootUsers: [],
        departmentChannels: {},
      },
      { expressApp: express(), retries: 0 },
    );
    try {
      await slack.start();
      const socket = await connected;
      expect(fake.of('apps.connections.open')).toHaveLength(1);
      socket.send(
        JSON.stringify({
          envelope_id: 'env-1',
          type: 'slash_commands',
          accepts_response_payload: true,
          payload: {
            command: '/ticket',
            text: 'help',
            user_id: 'UADMIN',
            team_id: fake.team,
            channel_id: 'CSUPPORT',
            response_url: fake.responseUrl({ channel: 'CSUPPORT', user: 'UADMIN' }),
            trigger_id: 't1',
          },
        }),
      );
      await expect.poll(() => received.map((r) => r.envelope_id)).toContain('env-1');
      await expect.poll(() => fake.of('response_url').length).toBe(1);
      expect(String(fake.last('response_url').params.text)).toContain('/ticket new');

      socket.send(
        JSON.stringify({
          envelope_id: 'env-2',
          type: 'interactive',
          accepts_response_payload: true,
          payload: {
            type: 'view_submission',
            team: { id: fake.team },
            user: { id: 'UADMIN', team_id: fake.team },
            view: {
              id: 'V1',
              callback_id: 'charge',
              private_metadata: '{"ticketId":999}',
              blocks: [
                {
                  type: 'input',
                  block_id: 'ticket_expense',
                  element: { type: 'plain_text_input', action_id: 'value' },
                },
              ],
              state: { values: { ticket_expense: { value: { type: 'plain_text_input', value: '5' } } } },
            },
          },
        }),
      );
      await expect
        .poll(() => received.find((r) => r.envelope_id === 'env-2'))
        .toMatchObject({
          payload: { response_action: 'errors', errors: { ticket_expense: 'Ticket 999 does not exist' } },
        });
    } finally {
      await slack.stop();
      await new Promise((resolve) => wss.close(resolve));
      await fake.close();
    }
  });
});
