import { describe, expect, it } from 'vitest';

/** The page's Block Kit and mrkdwn drawing (plain browser modules, no DOM needed to draw). */
type Draw = {
  mrkdwn: (text: string, ctx: { names: Record<string, string>; tz: string }) => string;
  renderBlocks: (
    blocks: unknown[],
    ctx: unknown,
    registry: unknown,
    errors?: Record<string, string>,
  ) => string;
  createRegistry: () => { items: unknown[] };
};
const { mrkdwn, renderBlocks, createRegistry } = (await import(
  '../../src/sandbox/assets/blocks.js' as string
)) as Draw;
const ctx = { names: { UANNA: 'Anna Support' }, tz: 'Europe/Berlin' };

describe('the sandbox page draws Slack text and Block Kit', () => {
  it('mrkdwn: formatting, links, mentions and dates; any HTML in the text stays text', () => {
    expect(mrkdwn('a \u200b*bold*\u200b, _it_, ~gone~ and `x<y`', ctx)).toBe(
      'a \u200b<b>bold</b>\u200b, <i>it</i>, <s>gone</s> and <code class="md-code">x&lt;y</code>',
    );
    expect(mrkdwn('<https://example.com/a?b=1&amp;c=2|docs> <@UANNA> <!here>', ctx)).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">docs</a> ' +
        '<span class="md-mention">@Anna Support</span> <span class="md-mention md-broadcast">@here</span>',
    );
    expect(mrkdwn('<!date^1796040000^{date_short_pretty} {time}|fallback>', ctx)).toContain('Nov 30, 2026');
    expect(mrkdwn('&lt;script&gt;alert(1)&lt;/script&gt; "q" <javascript:alert(1)|x>', ctx)).not.toMatch(
      /<script|<a /,
    );
  });

  it('blocks: inputs with their errors, buttons with styles; an unknown block or element is shown, not dropped', () => {
    const html = renderBlocks(
      [
        { type: 'header', text: { type: 'plain_text', text: 'Title' } },
        {
          type: 'input',
          block_id: 'message',
          label: { type: 'plain_text', text: 'Message' },
          element: { type: 'plain_text_input', action_id: 'value', multiline: true },
        },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, style: 'danger' },
            { type: 'workflow_button', action_id: 'wf' },
          ],
        },
        { type: 'video', title: { type: 'plain_text', text: 'v' } },
      ],
      ctx,
      createRegistry(),
      { message: 'Ticket 9 is locked by Rosa Root' },
    );
    expect(html).toContain('<h3 class="bk-header" data-block="b0">Title</h3>');
    expect(html).toContain('<div class="bk-error" role="alert">Ticket 9 is locked by Rosa Root</div>');
    expect(html).toContain('class="bk-button bk-danger"');
    expect(html).toContain('This element cannot be shown here: workflow_button');
    expect(html).toContain('This block cannot be shown here: video');
  });
});
