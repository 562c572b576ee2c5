// One message as Slack lists it: author, time, "only visible to you", body (blocks, else mrkdwn
// text), its thread summary; and the confirm dialog Slack shows before a button with `confirm`.
import { renderBlocks } from './blocks.js';
import { esc, mrkdwn } from './mrkdwn.js';

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function message(m, c, channel, registry) {
  const body = m.blocks?.length
    ? renderBlocks(m.blocks, c, registry)
    : `<div class="text">${mrkdwn(m.text, c)}</div>`;
  const thread =
    m.replies > 0
      ? `<a href="#" class="thread-link" data-thread="${esc(m.ts)}">${m.replies} ${m.replies === 1 ? 'reply' : 'replies'}</a>`
      : '';
  const reply =
    !m.ephemeral && !m.thread_ts
      ? `<a href="#" class="reply-link" data-thread="${esc(m.ts)}" title="Reply in thread">↩</a>`
      : '';
  return `<article class="msg ${m.ephemeral ? 'ephemeral' : ''}" data-ts="${esc(m.ts)}" data-channel="${esc(channel)}" data-ephemeral="${m.ephemeral}">
    <div class="avatar ${m.bot ? 'bot' : ''}">${esc(m.author.slice(0, 1))}</div>
    <div class="msg-body">
      <div class="msg-head"><b>${esc(m.author)}</b>${m.bot ? '<span class="app-badge">APP</span>' : ''}<time>${timeOf(m.ts)}</time>${m.edited ? '<span class="edited">(edited)</span>' : ''}${reply}</div>
      ${m.ephemeral ? '<div class="only-you">Only visible to you</div>' : ''}
      ${body}
      ${thread}
    </div>
  </article>`;
}

/** Slack's confirmation dialog; resolves true when confirmed. */
export function confirmDialog(confirm, ctx) {
  return new Promise((resolve) => {
    const box = document.querySelector('#confirm');
    box.innerHTML = `<div class="modal confirm" role="alertdialog" aria-label="${esc(confirm.title?.text)}"><header><h3>${esc(confirm.title?.text)}</h3></header>
      <div class="modal-body">${mrkdwn(confirm.text?.text ?? '', ctx)}</div>
      <footer><button type="button" data-answer="no">${esc(confirm.deny?.text ?? 'Cancel')}</button><button type="button" data-answer="yes" class="${confirm.style === 'danger' ? 'danger' : 'primary'}">${esc(confirm.confirm?.text ?? 'Yes')}</button></footer></div>`;
    box.hidden = false;
    box.onclick = (e) => {
      const answer = e.target.closest('[data-answer]')?.dataset.answer;
      if (!answer) return;
      box.hidden = true;
      resolve(answer === 'yes');
    };
  });
}
