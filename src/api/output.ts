import { XMLBuilder } from 'fast-xml-parser';
import { invalid } from '../functions/errors.ts';
import type { Doc, DocNode } from './doc.ts';

export type OutFormat = 'xml' | 'json';

/** `out` values clients send, by what we answer with; json/sjson/xjson/JSONdata share one mapping. */
const FORMATS: Record<string, OutFormat> = {
  xml: 'xml',
  devel: 'xml',
  json: 'json',
  sjson: 'json',
  xjson: 'json',
  jsondata: 'json',
};
export const SUPPORTED_OUT = ['xml', 'devel', 'json', 'sjson', 'xjson', 'JSONdata'];

/** The answer's format; an unknown `out` is refused (the refusal itself goes out as XML). */
export function outFormat(out: string | undefined): OutFormat {
  if (out === undefined || out.trim() === '') return 'xml';
  const key = out.trim().toLowerCase();
  // Own entries only: `__proto__` and `constructor` are values a request may send too.
  const format = Object.hasOwn(FORMATS, key) ? FORMATS[key] : undefined;
  if (!format) {
    throw invalid(
      'out',
      `Unknown output format ${out.slice(0, 100)}; supported: ${SUPPORTED_OUT.join(', ')}`,
      out.slice(0, 100),
    );
  }
  return format;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '$',
  textNodeName: '$',
  suppressEmptyNode: true,
  processEntities: true,
});

/** Characters XML 1.0 cannot carry even escaped; a client's stray control byte must not break the document. */
function xmlText(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    out += allowed ? ch : '\uFFFD';
  }
  return out;
}

function xmlSafe(node: DocNode): DocNode {
  const out: DocNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') out[key] = xmlText(value);
    else if (Array.isArray(value)) out[key] = value.map(xmlSafe);
    else out[key] = xmlSafe(value);
  }
  return out;
}

export function serialize(doc: Doc, format: OutFormat): { contentType: string; body: string } {
  if (format === 'json') {
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(doc) };
  }
  return {
    contentType: 'text/xml; charset=utf-8',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ doc: xmlSafe(doc.doc) })}`,
  };
}
