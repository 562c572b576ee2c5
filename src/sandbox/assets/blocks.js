// Block Kit as Slack draws it. Each interactive element is registered (data-el) so the page can send
// the bot the block_actions payload Slack would; each input block becomes a field whose value is read
// back into view.state. A block or element this page cannot draw is shown as such, never dropped.
import { esc, mrkdwn, textObject } from './mrkdwn.js';

export function createRegistry() {
  const items = [];
  return {
    items,
    add(element, blockId) {
      items.push({ element, blockId });
      return items.length - 1;
    },
  };
}

/** Blocks to HTML. `errors` are a modal's field errors by block_id. */
export function renderBlocks(blocks, ctx, registry, errors = {}) {
  return (blocks ?? [])
    .map((block, i) => {
      const blockId = block.block_id ?? `b${i}`;
      return renderBlock({ ...block, block_id: blockId }, ctx, registry, errors[blockId]);
    })
    .join('');
}

function renderBlock(block, ctx, reg, error) {
  const id = esc(block.block_id);
  switch (block.type) {
    case 'header':
      return `<h3 class="bk-header" data-block="${id}">${textObject(block.text, ctx)}</h3>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const text = block.text ? `<div class="bk-text">${textObject(block.text, ctx)}</div>` : '';
      const fields = block.fields
        ? `<div class="bk-fields">${block.fields.map((f) => `<div class="bk-field">${textObject(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="bk-accessory">${element(block.accessory, block.block_id, ctx, reg)}</div>`
        : '';
      return `<div class="bk-section" data-block="${id}"><div class="bk-section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-context" data-block="${id}">${block.elements
        .map((e) =>
          e.type === 'image'
            ? `<img class="bk-context-img" src="${esc(e.image_url)}" alt="${esc(e.alt_text)}">`
            : `<span>${textObject(e, ctx)}</span>`,
        )
        .join('')}</div>`;
    case 'actions':
      return `<div class="bk-actions" data-block="${id}">${block.elements
        .map((e) => element(e, block.block_id, ctx, reg))
        .join('')}</div>`;
    case 'image':
      return `<figure class="bk-image">${block.title ? `<figcaption>${textObject(block.title, ctx)}</figcaption>` : ''}<img src="${esc(block.image_url)}" alt="${esc(block.alt_text)}"></figure>`;
    case 'input':
      return input(block, ctx, reg, error);
    default:
      return unknown('block', block);
  }
}

function unknown(what, json) {
  return `<details class="bk-unknown"><summary>This ${what} cannot be shown here: ${esc(json.type)}</summary><pre>${esc(JSON.stringify(json, null, 2))}</pre></details>`;
}

const options = (el) => [...(el.options ?? []), ...(el.option_groups ?? []).flatMap((g) => g.options)];

/** An interactive element in a message, section accessory or actions block. */
function element(el, blockId, ctx, reg) {
  const n = reg.add(el, blockId);
  const data = `data-el="${n}" data-action-id="${esc(el.action_id)}"`;
  switch (el.type) {
    case 'button':
      return `<button type="button" class="bk-button ${el.style ? `bk-${esc(el.style)}` : ''}" ${data}>${textObject(el.text, ctx)}</button>`;
    case 'static_select':
      return `<select class="bk-select" ${data}><option value="">${esc(el.placeholder?.text ?? 'Select an item')}</option>${options(
        el,
      )
        .map(
          (o) =>
            `<option value="${esc(o.value)}" ${el.initial_option?.value === o.value ? 'selected' : ''}>${esc(o.text.text)}</option>`,
        )
        .join('')}</select>`;
    case 'overflow':
      return `<span class="bk-overflow"><button type="button" class="bk-button bk-overflow-toggle" aria-label="More actions" ${data}>⋯</button><span class="bk-overflow-menu" hidden>${el.options
        .map(
          (o) =>
            `<button type="button" class="bk-overflow-item" data-el="${n}" data-value="${esc(o.value)}">${esc(o.text.text)}</button>`,
        )
        .join('')}</span></span>`;
    case 'datepicker':
      return `<input type="date" class="bk-date" value="${esc(el.initial_date ?? '')}" ${data}>`;
    case 'timepicker':
      return `<input type="time" class="bk-time" value="${esc(el.initial_time ?? '')}" ${data}>`;
    case 'image':
      return `<img class="bk-accessory-img" src="${esc(el.image_url)}" alt="${esc(el.alt_text)}">`;
    default:
      return unknown('element', el);
  }
}

/** An input block: label, the field, hint, and the error Slack shows under it. */
function input(block, ctx, reg, error) {
  const el = block.element;
  const field = inputField(el, block.block_id, ctx, reg);
  const required = block.optional ? '' : 'data-required';
  return `<div class="bk-input ${error ? 'bk-has-error' : ''}" data-block="${esc(block.block_id)}" ${required}>
    <label class="bk-label">${textObject(block.label, ctx)}${block.optional ? ' <span class="bk-optional">(optional)</span>' : ''}</label>
    ${field}
    ${block.hint ? `<div class="bk-hint">${textObject(block.hint, ctx)}</div>` : ''}
    ${error ? `<div class="bk-error" role="alert">${esc(error)}</div>` : ''}
  </div>`;
}

function inputField(el, blockId, ctx, reg) {
  const n = reg.add(el, blockId);
  const data = `data-field="${n}" data-action-id="${esc(el.action_id)}"`;
  const placeholder = esc(el.placeholder?.text ?? '');
  switch (el.type) {
    case 'plain_text_input':
      return el.multiline
        ? `<textarea class="bk-textarea" ${data} placeholder="${placeholder}" ${el.max_length ? `maxlength="${el.max_length}"` : ''}>${esc(el.initial_value ?? '')}</textarea>`
        : `<input type="text" class="bk-textinput" ${data} placeholder="${placeholder}" value="${esc(el.initial_value ?? '')}" ${el.max_length ? `maxlength="${el.max_length}"` : ''}>`;
    case 'number_input':
      return `<input type="number" class="bk-textinput" ${data} value="${esc(el.initial_value ?? '')}">`;
    case 'static_select':
    case 'multi_static_select': {
      const multi = el.type === 'multi_static_select';
      const chosen = new Set([el.initial_option?.value, ...(el.initial_options ?? []).map((o) => o.value)]);
      return `<select class="bk-select" ${multi ? 'multiple' : ''} ${data}>${multi ? '' : `<option value="">${placeholder || 'Select an item'}</option>`}${options(
        el,
      )
        .map(
          (o) =>
            `<option value="${esc(o.value)}" ${chosen.has(o.value) ? 'selected' : ''}>${esc(o.text.text)}</option>`,
        )
        .join('')}</select>`;
    }
    case 'external_select':
    case 'multi_external_select': {
      // Options come from the app as the person types (app.js asks /sandbox/api/options).
      const multi = el.type === 'multi_external_select';
      const chosen = [el.initial_option, ...(el.initial_options ?? [])].filter(Boolean);
      return `<div class="bk-external" ${data}><input type="search" class="bk-textinput bk-external-search" placeholder="${placeholder || 'Type to search'}" aria-label="Search"><select class="bk-select bk-external-options" ${multi ? 'multiple' : ''}>${multi ? '' : '<option value="">Select an item</option>'}${chosen
        .map((o) => `<option value="${esc(o.value)}" selected>${esc(o.text.text)}</option>`)
        .join('')}</select></div>`;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const kind = el.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const chosen = new Set([el.initial_option?.value, ...(el.initial_options ?? []).map((o) => o.value)]);
      return `<div class="bk-choices" ${data}>${el.options
        .map(
          (o) =>
            `<label class="bk-choice"><input type="${kind}" name="f${n}" value="${esc(o.value)}" ${chosen.has(o.value) ? 'checked' : ''}> <span>${textObject(o.text, ctx)}${o.description ? `<small>${textObject(o.description, ctx)}</small>` : ''}</span></label>`,
        )
        .join('')}</div>`;
    }
    case 'datepicker':
      return `<input type="date" class="bk-date" ${data} value="${esc(el.initial_date ?? '')}">`;
    case 'timepicker':
      return `<input type="time" class="bk-time" ${data} value="${esc(el.initial_time ?? '')}">`;
    default:
      return unknown('input element', el);
  }
}

/** view.state.values as Slack sends them, read from the fields drawn by renderBlocks. */
export function stateValues(root, registry) {
  const values = {};
  for (const node of root.querySelectorAll('[data-field]')) {
    const { element: el, blockId } = registry.items[Number(node.dataset.field)];
    const option = (v) => options(el).find((o) => o.value === v) ?? null;
    let state;
    switch (el.type) {
      case 'static_select':
        state = { selected_option: node.value ? option(node.value) : null };
        break;
      case 'multi_static_select':
        state = { selected_options: [...node.selectedOptions].map((o) => option(o.value)) };
        break;
      case 'external_select':
      case 'multi_external_select': {
        // The app's options are not in the view: what was chosen is read from the drawn list.
        const picked = [...node.querySelector('select').selectedOptions]
          .filter((o) => o.value)
          .map((o) => ({ text: { type: 'plain_text', text: o.textContent }, value: o.value }));
        state =
          el.type === 'external_select'
            ? { selected_option: picked[0] ?? null }
            : { selected_options: picked };
        break;
      }
      case 'radio_buttons':
        state = { selected_option: option(node.querySelector('input:checked')?.value) };
        break;
      case 'checkboxes':
        state = { selected_options: [...node.querySelectorAll('input:checked')].map((i) => option(i.value)) };
        break;
      case 'datepicker':
        state = { selected_date: node.value || null };
        break;
      case 'timepicker':
        state = { selected_time: node.value || null };
        break;
      default:
        state = { value: node.value === '' ? null : node.value };
    }
    values[blockId] = { ...values[blockId], [el.action_id]: { type: el.type, ...state } };
  }
  return values;
}

/** The `actions[0]` of a block_actions payload for an element, with what was chosen. */
export function actionPayload(item, chosen) {
  const { element: el, blockId } = item;
  const base = { type: el.type, action_id: el.action_id, block_id: blockId };
  if (el.type === 'button')
    return { ...base, text: el.text, value: el.value, ...(el.style ? { style: el.style } : {}) };
  if (el.type === 'datepicker') return { ...base, selected_date: chosen };
  if (el.type === 'timepicker') return { ...base, selected_time: chosen };
  return { ...base, selected_option: options(el).find((o) => o.value === chosen) ?? null };
}

export { mrkdwn };
