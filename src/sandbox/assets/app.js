// The sandbox page: a Slack-like client over /sandbox/api. It keeps no data of its own: on every
// change in the workspace (server-sent events) it re-reads the screen of the person being played.
import { actionPayload, createRegistry, renderBlocks, stateValues } from './blocks.js';
import { esc, mrkdwn } from './mrkdwn.js';

const $ = (sel) => document.querySelector(sel);
const look = { as: 'UANNA', channel: 'CTECH', thread: undefined, home: false };
let current;
let modalErrors = {};
let registry = createRegistry();

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  look.as = h.get('as') ?? look.as;
  look.channel = h.get('c') ?? look.channel;
  look.thread = h.get('t') ?? undefined;
  look.home = h.get('home') === '1';
}
function writeHash() {
  const h = new URLSearchParams({ as: look.as, c: look.channel });
  if (look.thread) h.set('t', look.thread);
  if (look.home) h.set('home', '1');
  history.replaceState(null, '', `#${h}`);
}

async function api(path, body) {
  const res = await fetch(`/sandbox/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

async function refresh() {
  const q = new URLSearchParams({
    as: look.as,
    channel: look.channel,
    ...(look.thread ? { thread: look.thread } : {}),
  });
  if (look.home) q.set('home', '1');
  const res = await fetch(`/sandbox/api/screen?${q}`);
  if (!res.ok) return;
  current = await res.json();
  if (
    !current.channel &&
    current.channels.length > 0 &&
    !current.channels.some((c) => c.id === look.channel)
  ) {
    look.channel = current.channels[0].id;
    look.thread = undefined;
    return refresh();
  }
  writeHash();
  draw();
}

let pending;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 60);
}

function ctx() {
  const names = Object.fromEntries(current.people.map((p) => [p.id, p.name]));
  return { names: { ...names, UBOT: 'Ticket Ops' }, tz: 'Europe/Berlin' };
}

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function draw() {
  registry = createRegistry();
  const c = ctx();
  $('#clock').textContent = new Date(current.clock).toLocaleString('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  $('#identity').innerHTML = current.people
    .map(
      (p) =>
        `<option value="${esc(p.id)}" ${p.id === look.as ? 'selected' : ''}>${esc(p.name)} — ${esc(p.role)}</option>`,
    )
    .join('');
  const link = (ch) =>
    `<li><a href="#" class="nav-channel ${ch.id === look.channel ? 'active' : ''}" data-channel="${esc(ch.id)}">${
      ch.kind === 'dm' ? '<span class="app-dot"></span>' : ch.kind === 'shared' ? '⇄ ' : '# '
    }${esc(ch.name)}</a></li>`;
  $('#channels').innerHTML = current.channels
    .filter((ch) => ch.kind !== 'dm')
    .map(link)
    .join('');
  $('#apps').innerHTML = current.channels
    .filter((ch) => ch.kind === 'dm')
    .map(link)
    .join('');
  drawMain(c);
  drawThread(c);
  drawModal(c);
}

function drawMain(c) {
  const ch = current.channel;
  if (!ch) {
    $('#main').innerHTML = '<div class="empty">Pick a channel.</div>';
    return;
  }
  const tabs =
    ch.kind === 'dm'
      ? `<nav class="tabs"><a href="#" data-tab="home" class="${look.home ? 'active' : ''}">Home</a><a href="#" data-tab="messages" class="${look.home ? '' : 'active'}">Messages</a></nav>`
      : '';
  const title = `<header class="channel-head"><h2>${ch.kind === 'dm' ? esc(ch.name) : `${ch.kind === 'shared' ? '⇄' : '#'} ${esc(ch.name)}`}</h2>${
    ch.kind === 'shared' ? '<span class="badge">Slack Connect · external people here</span>' : ''
  }${tabs}</header>`;
  if (look.home && ch.kind === 'dm') {
    const home = current.home?.view;
    $('#main').innerHTML =
      `${title}<section class="home">${home ? renderBlocks(home.blocks, c, registry) : '<div class="empty">Loading Home…</div>'}</section>`;
    return;
  }
  $('#main').innerHTML =
    `${title}<section class="messages" id="messages">${ch.messages.map((m) => message(m, c, ch.id)).join('')}</section>${composer(
      `Message ${ch.kind === 'dm' ? ch.name : `#${ch.name}`} — or /ticket, /support`,
      'main',
    )}`;
  const list = $('#messages');
  list.scrollTop = list.scrollHeight;
}

function message(m, c, channel) {
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

function composer(placeholder, where) {
  return `<form class="composer" data-where="${where}"><textarea name="text" rows="2" placeholder="${esc(placeholder)}"></textarea><button type="submit">Send</button></form>`;
}

function drawThread(c) {
  const t = current.thread;
  $('#thread').hidden = !t;
  if (!t) return;
  $('#thread').innerHTML =
    `<header class="thread-head"><h3>Thread</h3><button type="button" class="close-thread" aria-label="Close thread">✕</button></header>
    <section class="messages">${t.messages.map((m) => message(m, c, current.channel.id)).join('')}</section>${composer('Reply…', 'thread')}`;
}

function drawModal(c) {
  const modal = current.modal;
  $('#modal').hidden = !modal;
  if (!modal) return;
  const v = modal.view;
  const errors = modalErrors[modal.id] ?? {};
  $('#modal').innerHTML =
    `<div class="modal" role="dialog" aria-label="${esc(v.title?.text)}" data-view="${esc(modal.id)}">
    <header><h3>${modal.depth > 1 ? '<span class="stack">‹</span> ' : ''}${esc(v.title?.text)}</h3><button type="button" class="modal-x" aria-label="Close">✕</button></header>
    <div class="modal-body">${renderBlocks(v.blocks, c, registry, errors)}</div>
    <footer><button type="button" class="modal-close">${esc(v.close?.text ?? 'Cancel')}</button>${
      v.submit ? `<button type="button" class="modal-submit primary">${esc(v.submit.text)}</button>` : ''
    }</footer></div>`;
}

/** Where an element sits: a modal or App Home (a view), or a message. */
function placeOf(node) {
  const view = node.closest('[data-view]');
  if (view) return { view_id: view.dataset.view, values: stateValues(view, registry) };
  if (node.closest('.home')) return { view_id: current.home?.id, values: {} };
  const msg = node.closest('.msg');
  return { channel: msg.dataset.channel, ts: msg.dataset.ts, ephemeral: msg.dataset.ephemeral === 'true' };
}

async function fire(node, chosen) {
  const item = registry.items[Number(node.dataset.el)];
  const confirm = item.element.confirm;
  if (confirm && !(await confirmDialog(confirm))) return;
  await api('action', { as: look.as, ...placeOf(node), action: actionPayload(item, chosen) });
}

function confirmDialog(confirm) {
  return new Promise((resolve) => {
    const box = $('#confirm');
    box.innerHTML = `<div class="modal confirm" role="alertdialog" aria-label="${esc(confirm.title?.text)}"><header><h3>${esc(confirm.title?.text)}</h3></header>
      <div class="modal-body">${mrkdwn(confirm.text?.text ?? '', ctx())}</div>
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

document.addEventListener('click', async (e) => {
  const t = e.target;
  const nav = t.closest('[data-channel].nav-channel');
  const tab = t.closest('[data-tab]');
  const thread = t.closest('[data-thread]');
  if (nav || tab || thread || t.closest('.close-thread')) e.preventDefault();
  if (nav) Object.assign(look, { channel: nav.dataset.channel, thread: undefined, home: false });
  else if (tab) {
    look.home = tab.dataset.tab === 'home';
    look.thread = undefined;
    if (look.home) await api('home', { as: look.as });
  } else if (thread) look.thread = thread.dataset.thread;
  else if (t.closest('.close-thread')) look.thread = undefined;
  else if (t.closest('.bk-overflow-toggle')) {
    t.closest('.bk-overflow').querySelector('.bk-overflow-menu').hidden ^= true;
    return;
  } else if (t.closest('.bk-overflow-item'))
    return fire(t.closest('.bk-overflow-item'), t.closest('.bk-overflow-item').dataset.value);
  else if (t.closest('button.bk-button[data-el]')) return fire(t.closest('button.bk-button[data-el]'));
  else if (t.closest('.modal-submit')) return submitModal();
  else if (t.closest('.modal-close, .modal-x'))
    return api('close', { as: look.as, view_id: current.modal.id });
  else if (t.closest('.clock-step')) return api('clock', { step: t.closest('.clock-step').dataset.step });
  else return;
  refresh();
});

document.addEventListener('change', (e) => {
  const node = e.target.closest('select[data-el], input[data-el]');
  if (node) fire(node, node.value);
});

$('#identity').addEventListener('change', (e) => {
  Object.assign(look, { as: e.target.value, thread: undefined, home: false });
  modalErrors = {};
  refresh();
});

document.addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.target;
  const text = form.text.value.trim();
  if (!text) return;
  form.text.value = '';
  const thread_ts = form.dataset.where === 'thread' ? look.thread : undefined;
  await api('send', { as: look.as, channel: look.channel, text, ...(thread_ts ? { thread_ts } : {}) });
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && e.target.matches('.composer textarea')) {
    e.preventDefault();
    e.target.form.requestSubmit();
  }
});

async function submitModal() {
  const node = $('#modal [data-view]');
  const id = node.dataset.view;
  const res = await api('submit', { as: look.as, view_id: id, values: stateValues(node, registry) });
  modalErrors[id] = res.errors ?? {};
  refresh();
}

readHash();
new EventSource('/sandbox/api/events').onmessage = refreshSoon;
refresh();
