import { formatDateTime } from '../domain/tickets.ts';
import type { TicketError } from '../functions/errors.ts';
import type { Cell, FormMessage, FormResult, ListResult, OkResult, Row } from '../functions/types.ts';

/**
 * A BILLmanager answer in its JSON mapping: element text under `$`, attribute `a` under `$a`, child
 * elements under their names (arrays for repeated ones). The XML encoder builds from the same tree,
 * so both formats always say the same thing.
 */
export interface DocNode {
  [key: string]: string | DocNode | DocNode[];
}
export type Doc = { doc: DocNode };

const text = (value: string): DocNode => ({ $: value });

/** A cell as BILLmanager writes scalars: strings, `on`/`off`, `YYYY-MM-DD HH:MM:SS`; absent when empty. */
export function cellText(cell: Cell): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'boolean') return cell ? 'on' : 'off';
  if (cell instanceof Date) return formatDateTime(cell);
  return String(cell);
}

/**
 * List rows: flags appear only when on (as BILLmanager lists do, clients test for presence), and
 * empty cells are left out; `elem` is always an array.
 */
function listRow(row: Row): DocNode {
  const node: DocNode = {};
  for (const [key, cell] of Object.entries(row)) {
    if (cell === false) continue;
    const value = cellText(cell);
    if (value !== undefined) node[key] = text(value);
  }
  return node;
}

export function listDoc(list: ListResult): Doc {
  const { page } = list;
  return {
    doc: {
      elem: list.rows.map(listRow),
      p_num: text(String(page.num)),
      p_cnt: text(String(page.cnt)),
      p_elems: text(String(page.elems)),
      p_sort: text(page.sort),
      p_order: text(page.order),
    },
  };
}

function messageNode(m: FormMessage): DocNode {
  const date = formatDateTime(m.datePost);
  const node: DocNode = {
    $type: m.type,
    $id: String(m.id),
    $date_post: date,
    id: text(String(m.id)),
    date_post: text(date),
    user: text(m.author),
    message: text(m.body),
  };
  if (m.internal) node.note = text('on');
  if (m.hidden) node.hidden = text('on');
  if (m.edited) node.edited = text('on');
  if (m.attachments.length > 0)
    node.file = m.attachments.map((f) => ({ $id: String(f.id), $size: String(f.size), $: f.filename }));
  return node;
}

/** A form: flat fields (flags always `on`/`off`), messages as `mlist`, choices as `slist`. */
export function formDoc(form: FormResult): Doc {
  const doc: DocNode = {};
  for (const [key, cell] of Object.entries(form.fields)) {
    if (cell === undefined) continue;
    doc[key] = text(cellText(cell) ?? '');
  }
  if (form.messages) doc.mlist = { $name: 'message', message: form.messages.map(messageNode) };
  if (form.options) {
    doc.slist = Object.entries(form.options).map(([name, values]) => ({
      $name: name,
      val: values.map((v) => ({ $key: v.key, $: v.label })),
    }));
  }
  return { doc };
}

/** `ok`, the new object's `id` on a create, and `message_id`: the message the call wrote (beyond the spec). */
export function okDoc(result?: Pick<OkResult, 'id' | 'messageId'>, extra: DocNode = {}): Doc {
  const doc: DocNode = { ok: {} };
  if (result?.id !== undefined) doc.id = text(String(result.id));
  if (result?.messageId !== undefined) doc.message_id = text(String(result.messageId));
  return { doc: { ...doc, ...extra } };
}

/** A session id as clients read it: some take `$id`, others `$`. */
export function authNode(sid: string, level?: string): DocNode {
  return level ? { $id: sid, $level: level, $: sid } : { $id: sid, $: sid };
}

export function errorDoc(error: TicketError): Doc {
  const params: DocNode[] = [{ $name: 'object', $: error.object }];
  if (error.value !== undefined) params.push({ $name: 'value', $: error.value });
  return {
    doc: {
      error: {
        $type: error.type,
        $object: error.object,
        $lang: 'en',
        msg: text(error.message),
        param: params,
      },
    },
  };
}
