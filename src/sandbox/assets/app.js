// The sandbox page: a Slack-like client over /sandbox/api. It keeps no data of its own: on every
// change in the workspace (server-sent events) it re-reads the screen of the person being played.
import { actionPayload, createRegistry, renderBlocks, stateValues } from './blocks.js';
import { confirmDialog, message } from './message.js';
import { esc } from './mrkdwn.js';

const $ = (sel) => document.querySelector(sel);
const look = { as: 'UANNA', channel: 'CTECH', thread: undefined, home: false };
let current;
let modalErrors = {};
let shownModal = '';
/** The interactive elements drawn in each region of the page, by data-el / data-field index. */
const regions = { main: createRegistry(), thread: createRegistry(), modal: createRegistry() };
const registryOf = (node) => regions[node.closest('[data-region]').dataset.region];

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

function draw() {
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

/** The channel (or App Home) pane; the composer is kept as it is, with whatever is being typed. */
function drawMain(c) {
  const ch = current.channel;
  regions.main = createRegistry();
  const list = $('#messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  if (!ch) {
    $('#head').innerHTML = '';
    list.innerHTML = '<div class="empty">Pick a channel.</div>';
    return;
  }
  const tabs =
    ch.kind === 'dm'
      ? `<nav class="tabs"><a href="#" data-tab="home" class="${look.home ? 'active' : ''}">Home</a><a href="#" data-tab="messages" class="${look.home ? '' : 'active'}">Messages</a></nav>`
      : '';
  $('#head').innerHTML =
    `<h2>${ch.kind === 'dm' ? esc(ch.name) : `${ch.kind === 'shared' ? '⇄' : '#'} ${esc(ch.name)}`}</h2>${
      ch.kind === 'shared' ? '<span class="badge">Slack Connect · external people here</span>' : ''
    }${tabs}`;
  const home = look.home && ch.kind === 'dm';
  $('#composer').hidden = home;
  $('#composer').text.placeholder =
    `Message ${ch.kind === 'dm' ? ch.name : `#${ch.name}`} — or /ticket …, /support …`;
  list.classList.toggle('home', home);
  if (home) {
    const view = current.home?.view;
    list.innerHTML = view
      ? renderBlocks(view.blocks, c, regions.main)
      : '<div class="empty">Loading Home…</div>';
    return;
  }
  const changedChannel = list.dataset.channel !== ch.id;
  list.dataset.channel = ch.id;
  list.innerHTML = ch.messages.map((m) => message(m, c, ch.id, regions.main)).join('');
  if (atBottom || changedChannel) list.scrollTop = list.scrollHeight;
}

function drawThread(c) {
  const t = current.thread;
  $('#thread').hidden = !t;
  regions.thread = createRegistry();
  if (!t) return;
  $('#replies').innerHTML = t.messages.map((m) => message(m, c, current.channel.id, regions.thread)).join('');
}

/** The top modal; redrawn only when the bot changed it or errors came, so typed values stay. */
function drawModal(c) {
  const modal = current.modal;
  $('#modal').hidden = !modal;
  if (!modal) {
    shownModal = '';
    return;
  }
  const errors = modalErrors[modal.id] ?? {};
  const key = JSON.stringify([modal.id, modal.hash, errors]);
  if (key === shownModal) return;
  shownModal = key;
  regions.modal = createRegistry();
  const v = modal.view;
  $('#modal').innerHTML =
    `<div class="modal" role="dialog" aria-label="${esc(v.title?.text)}" data-view="${esc(modal.id)}">
    <header><h3>${modal.depth > 1 ? '<span class="stack">‹</span> ' : ''}${esc(v.title?.text)}</h3><button type="button" class="modal-x" aria-label="Close">✕</button></header>
    <div class="modal-body">${renderBlocks(v.blocks, c, regions.modal, errors)}</div>
    <footer><button type="button" class="modal-close">${esc(v.close?.text ?? 'Cancel')}</button>${
      v.submit ? `<button type="button" class="modal-submit primary">${esc(v.submit.text)}</button>` : ''
    }</footer></div>`;
}

/** Where an element sits: a modal or App Home (a view), or a message. */
function placeOf(node) {
  const view = node.closest('[data-view]');
  if (view) return { view_id: view.dataset.view, values: stateValues(view, registryOf(view)) };
  if (node.closest('.home')) return { view_id: current.home?.id, values: {} };
  const msg = node.closest('.msg');
  return { channel: msg.dataset.channel, ts: msg.dataset.ts, ephemeral: msg.dataset.ephemeral === 'true' };
}

async function fire(node, chosen) {
  const item = registryOf(node).items[Number(node.dataset.el)];
  const confirm = item.element.confirm;
  if (confirm && !(await confirmDialog(confirm, ctx()))) return;
  await api('action', { as: look.as, ...placeOf(node), action: actionPayload(item, chosen) });
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
    const menu = t.closest('.bk-overflow').querySelector('.bk-overflow-menu');
    menu.hidden = !menu.hidden;
    return;
  } else if (t.closest('.bk-overflow-item'))
    return fire(t.closest('.bk-overflow-item'), t.closest('.bk-overflow-item').dataset.value);
  else if (t.closest('button.bk-button[data-el]')) return fire(t.closest('button.bk-button[data-el]'));
  else if (t.closest('.modal-submit')) return submitModal();
  else if (t.closest('.modal-close, .modal-x'))
    return api('close', { as: look.as, view_id: current.modal.id });
  else if (t.closest('.rate-limit'))
    return api('ratelimit', { seconds: Number(t.closest('.rate-limit').dataset.seconds) });
  else if (t.closest('.clock-step')) return api('clock', { step: t.closest('.clock-step').dataset.step });
  else return;
  refresh();
});

document.addEventListener('change', (e) => {
  const node = e.target.closest('select[data-el], input[data-el]');
  if (node) fire(node, node.value);
});

/** An external_select asks the app for options (as Slack does) when opened and as the person types. */
async function loadOptions(field) {
  const view = field.closest('[data-view]');
  const { element, blockId } = registryOf(field).items[Number(field.dataset.field)];
  const select = field.querySelector('select');
  const answer = await api('options', {
    as: look.as,
    view_id: view.dataset.view,
    block_id: blockId,
    action_id: element.action_id,
    value: field.querySelector('.bk-external-search').value,
    values: stateValues(view, registryOf(view)),
  });
  const kept = [...select.selectedOptions].filter((o) => o.value);
  const keptValues = new Set(kept.map((o) => o.value));
  const fresh = (answer.options ?? []).filter((o) => !keptValues.has(o.value));
  select.innerHTML = `${select.multiple ? '' : '<option value="">Select an item</option>'}${kept
    .map((o) => `<option value="${esc(o.value)}" selected>${esc(o.textContent)}</option>`)
    .join('')}${fresh.map((o) => `<option value="${esc(o.value)}">${esc(o.text.text)}</option>`).join('')}`;
}
let optionsTimer;
document.addEventListener('input', (e) => {
  const field = e.target.closest('.bk-external');
  if (!field) return;
  clearTimeout(optionsTimer);
  optionsTimer = setTimeout(() => loadOptions(field), 250);
});
document.addEventListener('focusin', (e) => {
  const field = e.target.closest('.bk-external');
  if (field && !field.dataset.loaded) {
    field.dataset.loaded = '1';
    loadOptions(field);
  }
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
  if (!current.channel) return;
  await api('send', { as: look.as, channel: current.channel.id, text, ...(thread_ts ? { thread_ts } : {}) });
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && e.target.matches('.composer textarea')) {
    e.preventDefault();
    e.target.form.requestSubmit();
  }
});

/** Slack itself refuses to submit a modal with a required field empty; the bot never hears of it. */
async function submitModal() {
  const node = $('#modal [data-view]');
  const id = node.dataset.view;
  const values = stateValues(node, regions.modal);
  const missing = {};
  for (const input of node.querySelectorAll('.bk-input[data-required]')) {
    const state = Object.values(values[input.dataset.block] ?? {})[0] ?? {};
    const filled = [state.value, state.selected_option, state.selected_date, state.selected_time].some(
      Boolean,
    );
    if (!filled && !state.selected_options?.length)
      missing[input.dataset.block] = 'Please fill out this field.';
  }
  if (Object.keys(missing).length > 0) {
    modalErrors[id] = missing;
    return drawModal(ctx());
  }
  const res = await api('submit', { as: look.as, view_id: id, values });
  modalErrors[id] = res.errors ?? {};
  refresh();
}

readHash();
new EventSource('/sandbox/api/events').onmessage = refreshSoon;
refresh();
