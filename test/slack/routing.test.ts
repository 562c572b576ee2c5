import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/slack/ids.ts';
import { routes } from '../../src/slack/listeners.ts';
import { nth } from '../helpers/rows.ts';

const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
const env = {} as Parameters<typeof routes>[0];
const r = routes(env);

/** The items of a YAML list under `key:` (the manifest keeps them one per line). */
function listUnder(key: string): string[] {
  const lines = manifest.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  const indent = nth(lines, start + 1, `item under ${key}`).search(/\S/);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('#')) continue;
    if (line.search(/\S/) !== indent || !line.trim().startsWith('- ')) break;
    items.push(line.trim().slice(2));
  }
  return items;
}

describe('manifest ↔ listeners', () => {
  it('every slash command in the manifest is routed, and no other', () => {
    const commands = [...manifest.matchAll(/- command: (\S+)/g)].map((m) => m[1]);
    expect(commands.sort()).toEqual(Object.keys(r.commands).sort());
  });

  it('every bot event in the manifest is routed, and no other', () => {
    const events = new Set(listUnder('bot_events').map((e) => e.split('.')[0]));
    expect([...events].sort()).toEqual(Object.keys(r.events).sort());
  });

  it('interactivity is on, with the same URL as events and commands', () => {
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    const urls = new Set([...manifest.matchAll(/(?:url|request_url): (\S+)/g)].map((m) => m[1]));
    expect([...urls]).toEqual(['https://ticket-ops.example.com/slack/events']);
  });

  it('every button id is routed; every modal with a submit button has a submission route', () => {
    expect(Object.keys(r.actions).sort()).toEqual(Object.values(ACTION).sort());
    const submitted = Object.keys(r.views);
    const readOnly = [VIEW.loading, VIEW.messages, VIEW.clientView];
    expect([...submitted, ...readOnly].sort()).toEqual(Object.values(VIEW).sort());
  });

  it('asks for the scopes it uses and no more', () => {
    expect(listUnder('bot')).toEqual([
      'commands',
      'chat:write',
      'users:read',
      'channels:history',
      'groups:history',
      'channels:read',
      'groups:read',
    ]);
  });
});
