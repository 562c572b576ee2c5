/**
 * Block Kit as Slack's Web API validates it (docs.slack.dev/reference/block-kit): what a message,
 * modal or App Home may hold, so the sandbox and the tests refuse the payloads Slack refuses
 * (`invalid_blocks`, `invalid_arguments`) instead of showing them. Pure: no I/O.
 *
 * Each problem is reported as Slack words it: a sentence plus a JSON pointer into the payload.
 */

export type Surface = 'message' | 'modal' | 'home';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
const ID_MAX = 255;

/** Element types each block accepts (section: its accessory). */
const SELECTS = [
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
];
const PICKERS = ['datepicker', 'timepicker', 'datetimepicker'];
const ALLOWED = {
  section: ['button', 'checkboxes', 'image', 'overflow', 'radio_buttons', ...SELECTS, ...PICKERS],
  actions: ['button', 'checkboxes', 'overflow', 'radio_buttons', 'rich_text_input', ...SELECTS, ...PICKERS],
  input: [
    'plain_text_input',
    'number_input',
    'email_text_input',
    'url_text_input',
    'rich_text_input',
    'file_input',
    'checkboxes',
    'radio_buttons',
    ...SELECTS,
    ...PICKERS,
  ],
};

type TextOpts = { plain?: boolean; required?: boolean };

class Checker {
  readonly errors: string[] = [];

  fail(path: string, message: string): void {
    this.errors.push(`${message} [json-pointer:${path}]`);
  }

  /** A string field: required or not, at most `max` characters. */
  str(o: Obj, key: string, path: string, max: number, required = false) {
    const v = o[key];
    if (v === undefined) {
      if (required) this.fail(`${path}/${key}`, 'must provide a string');
      return;
    }
    if (typeof v !== 'string') return this.fail(`${path}/${key}`, 'must be a string');
    if (v.length > max) this.fail(`${path}/${key}`, `must be less than ${max + 1} characters`);
  }

  /** A text object: `plain` when only plain_text is accepted; 1..max characters. */
  text(o: Obj, key: string, path: string, max: number, opts: TextOpts = {}) {
    this.textAt(o[key], `${path}/${key}`, max, opts);
  }

  textAt(t: unknown, at: string, max: number, opts: TextOpts = {}) {
    if (t === undefined) {
      if (opts.required ?? true) this.fail(at, 'must provide an object');
      return;
    }
    if (!isObj(t)) return this.fail(at, 'must provide an object');
    if (t.type !== 'plain_text' && (opts.plain || t.type !== 'mrkdwn'))
      return this.fail(`${at}/type`, opts.plain ? 'must be plain_text' : 'must be plain_text or mrkdwn');
    if (typeof t.text !== 'string') return this.fail(`${at}/text`, 'must provide a string');
    if (t.text.length === 0) this.fail(`${at}/text`, 'must be more than 0 characters');
    if (t.text.length > max) this.fail(`${at}/text`, `must be less than ${max + 1} characters`);
    if (t.type === 'mrkdwn' && 'emoji' in t) this.fail(`${at}/emoji`, 'emoji is only for plain_text');
    if (t.type === 'plain_text' && 'verbatim' in t)
      this.fail(`${at}/verbatim`, 'verbatim is only for mrkdwn');
  }

  /** An optional string in a fixed format (dates, times), as Slack parses it. */
  format(o: Obj, key: string, path: string, pattern: RegExp, name: string) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'string' || !pattern.test(v)))
      this.fail(`${path}/${key}`, `must be in the format ${name}`);
  }

  /** An array field with a count range; returns its items (empty when absent or wrong). */
  list(o: Obj, key: string, path: string, min: number, max: number, required = true): unknown[] {
    const v = o[key];
    if (v === undefined) {
      if (required) this.fail(`${path}/${key}`, 'must provide an array');
      return [];
    }
    if (!Array.isArray(v)) {
      this.fail(`${path}/${key}`, 'must provide an array');
      return [];
    }
    if (v.length < min) this.fail(`${path}/${key}`, `must provide at least ${min} items`);
    if (v.length > max) this.fail(`${path}/${key}`, `no more than ${max} items allowed`);
    return v;
  }

  confirm(o: Obj, path: string) {
    const c = o.confirm;
    if (c === undefined) return;
    const at = `${path}/confirm`;
    if (!isObj(c)) return this.fail(at, 'must provide an object');
    this.text(c, 'title', at, 100, { plain: true });
    this.text(c, 'text', at, 300);
    this.text(c, 'confirm', at, 30, { plain: true });
    this.text(c, 'deny', at, 30, { plain: true });
    if (c.style !== undefined && c.style !== 'primary' && c.style !== 'danger')
      this.fail(`${at}/style`, 'must be primary or danger');
  }

  /** Options of a menu; `plain` for selects and overflow, mrkdwn allowed for checkboxes and radios. */
  options(items: unknown[], path: string, plain: boolean): Obj[] {
    const good: Obj[] = [];
    items.forEach((option, i) => {
      const at = `${path}/${i}`;
      if (!isObj(option)) {
        this.fail(at, 'must provide an object');
        return;
      }
      this.text(option, 'text', at, 75, { plain });
      this.str(option, 'value', at, 150, true);
      this.text(option, 'description', at, 75, { plain, required: false });
      this.str(option, 'url', at, 3000);
      good.push(option);
    });
    const values = good.map((o) => o.value);
    if (new Set(values).size !== values.length) this.fail(path, 'option values must be unique');
    return good;
  }

  /** initial_option(s) must be one of the element's options, exactly. */
  initial(el: Obj, options: Obj[], path: string) {
    const same = (a: unknown) => options.some((o) => JSON.stringify(o) === JSON.stringify(a));
    if (el.initial_option !== undefined && !same(el.initial_option))
      this.fail(`${path}/initial_option`, 'must match one of the provided options');
    if (Array.isArray(el.initial_options))
      el.initial_options.forEach((o, i) => {
        if (!same(o)) this.fail(`${path}/initial_options/${i}`, 'must match one of the provided options');
      });
  }

  element(el: unknown, path: string, allowed: string[]): string | undefined {
    if (!isObj(el)) return void this.fail(path, 'must provide an object');
    const type = String(el.type);
    if (!allowed.includes(type)) return void this.fail(`${path}/type`, `${type} is not allowed here`);
    if (type.startsWith('multi_') && el.max_selected_items !== undefined) {
      const n = el.max_selected_items;
      if (typeof n !== 'number' || n < 1) this.fail(`${path}/max_selected_items`, 'must be at least 1');
    }
    this.str(el, 'action_id', path, ID_MAX);
    this.confirm(el, path);
    if (type !== 'button' && type !== 'image' && type !== 'overflow')
      this.text(el, 'placeholder', path, 150, { plain: true, required: false });
    if (type === 'button') {
      this.text(el, 'text', path, 75, { plain: true });
      this.str(el, 'value', path, 2000);
      this.str(el, 'url', path, 3000);
      this.str(el, 'accessibility_label', path, 75);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
        this.fail(`${path}/style`, 'must be primary or danger');
    } else if (type === 'overflow') {
      this.options(this.list(el, 'options', path, 2, 5), `${path}/options`, true);
    } else if (type === 'checkboxes' || type === 'radio_buttons') {
      const options = this.options(this.list(el, 'options', path, 1, 10), `${path}/options`, false);
      this.initial(el, options, path);
    } else if (type === 'static_select' || type === 'multi_static_select') {
      const grouped = el.option_groups !== undefined;
      if (grouped === (el.options !== undefined))
        this.fail(path, 'must provide exactly one of options or option_groups');
      const options = grouped
        ? this.list(el, 'option_groups', path, 1, 100).flatMap((g, i) => {
            const at = `${path}/option_groups/${i}`;
            if (!isObj(g)) return [];
            this.text(g, 'label', at, 75, { plain: true });
            return this.options(this.list(g, 'options', at, 1, 100), `${at}/options`, true);
          })
        : this.options(this.list(el, 'options', path, 1, 100), `${path}/options`, true);
      this.initial(el, options, path);
    } else if (type === 'plain_text_input') {
      const max = typeof el.max_length === 'number' ? el.max_length : 3000;
      const min = typeof el.min_length === 'number' ? el.min_length : 0;
      if (max < 1 || max > 3000) this.fail(`${path}/max_length`, 'must be between 1 and 3000');
      if (min < 0 || min > 3000 || min > max)
        this.fail(`${path}/min_length`, 'must be between 0 and max_length');
      this.str(el, 'initial_value', path, max);
    } else if (type === 'datepicker') {
      this.format(el, 'initial_date', path, /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
    } else if (type === 'timepicker') {
      this.format(el, 'initial_time', path, /^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');
    } else if (type === 'image') {
      this.str(el, 'alt_text', path, 2000, true);
      if (el.image_url === undefined && el.slack_file === undefined)
        this.fail(path, 'must provide image_url or slack_file');
    }
    return typeof el.action_id === 'string' ? el.action_id : undefined;
  }

  block(b: unknown, path: string) {
    if (!isObj(b)) return this.fail(path, 'must provide an object');
    this.str(b, 'block_id', path, ID_MAX);
    const actionIds: string[] = [];
    const element = (el: unknown, at: string, allowed: string[]) => {
      const id = this.element(el, at, allowed);
      if (id === undefined) return;
      if (actionIds.includes(id)) this.fail(`${at}/action_id`, `duplicate action_id ${id} in one block`);
      actionIds.push(id);
    };
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined)
          this.fail(path, 'must provide either text or fields');
        this.text(b, 'text', path, 3000, { required: false });
        this.list(b, 'fields', path, 1, 10, false).forEach((f, i) => {
          this.textAt(f, `${path}/fields/${i}`, 2000);
        });
        if (b.accessory !== undefined) element(b.accessory, `${path}/accessory`, ALLOWED.section);
        return;
      case 'actions':
        for (const [i, el] of this.list(b, 'elements', path, 1, 25).entries())
          element(el, `${path}/elements/${i}`, ALLOWED.actions);
        return;
      case 'context':
        return this.list(b, 'elements', path, 1, 10).forEach((el, i) => {
          const at = `${path}/elements/${i}`;
          if (isObj(el) && el.type === 'image') this.element(el, at, ['image']);
          else this.textAt(el, at, 3000);
        });
      case 'header':
        return this.text(b, 'text', path, 150, { plain: true });
      case 'input':
        this.text(b, 'label', path, 2000, { plain: true });
        this.text(b, 'hint', path, 2000, { plain: true, required: false });
        if (b.element === undefined) return this.fail(`${path}/element`, 'must provide an object');
        if (b.dispatch_action === true && isObj(b.element) && b.element.type === 'file_input')
          this.fail(`${path}/dispatch_action`, 'unsupported type: file_input cannot dispatch actions');
        return element(b.element, `${path}/element`, ALLOWED.input);
      case 'image':
        this.str(b, 'alt_text', path, 2000, true);
        this.str(b, 'image_url', path, 3000);
        return this.text(b, 'title', path, 2000, { plain: true, required: false });
      case 'divider':
        return;
      case 'rich_text':
        return void this.list(b, 'elements', path, 1, Number.POSITIVE_INFINITY);
      case 'file':
      case 'video':
        return;
      default:
        this.fail(`${path}/type`, `unknown block type ${String(b.type)}`);
    }
  }
}

/** The problems Slack would report for these blocks on this surface; empty when valid. */
export function validateBlocks(blocks: unknown, surface: Surface): string[] {
  const c = new Checker();
  if (!Array.isArray(blocks)) {
    c.fail('/blocks', 'must provide an array');
    return c.errors;
  }
  if (blocks.length > MAX_BLOCKS[surface])
    c.fail('/blocks', `no more than ${MAX_BLOCKS[surface]} items allowed`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    c.block(b, `/blocks/${i}`);
    const id = isObj(b) ? b.block_id : undefined;
    if (typeof id !== 'string') return;
    if (blockIds.has(id)) c.fail(`/blocks/${i}/block_id`, `duplicate block_id ${id}`);
    blockIds.add(id);
  });
  return c.errors;
}

/** A modal or App Home view as views.open / push / update / publish check it, blocks included. */
export function validateView(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) {
    c.fail('/view', 'must provide an object');
    return c.errors;
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    c.fail('/view/type', 'must be modal or home');
    return c.errors;
  }
  c.str(view, 'callback_id', '/view', ID_MAX);
  c.str(view, 'external_id', '/view', ID_MAX);
  c.str(view, 'private_metadata', '/view', 3000);
  if (view.type === 'modal') {
    c.text(view, 'title', '/view', 24, { plain: true });
    c.text(view, 'submit', '/view', 24, { plain: true, required: false });
    c.text(view, 'close', '/view', 24, { plain: true, required: false });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined)
      c.fail('/view/submit', 'must provide submit when the view has input blocks');
  }
  return [...c.errors, ...validateBlocks(view.blocks, view.type)];
}
