import { basename } from 'node:path';
import busboy from 'busboy';
import type { Request } from 'express';
import { invalid, type TicketError } from '../functions/errors.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface ApiRequest {
  params: Record<string, string>;
  files: UploadedFile[];
}

interface Limits {
  maxBodyBytes: number;
  maxFiles: number;
}

/** Query parameters alone: repeated names are joined the way group actions list ids (`1, 2`). */
export function queryParams(req: Request): Map<string, string> {
  const search = new URL(req.originalUrl, 'http://localhost').searchParams;
  return joined(search);
}

function joined(entries: Iterable<[string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of entries) {
    const before = out.get(key);
    out.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  return out;
}

/**
 * Parameters from the query string and the body (urlencoded, multipart or a JSON object), merged;
 * the body wins over the query for the same name. Oversized and malformed bodies are TicketErrors.
 */
export async function readRequest(req: Request, limits: Limits): Promise<ApiRequest> {
  const params = queryParams(req);
  const files: UploadedFile[] = [];
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === 'multipart/form-data') {
      await readMultipart(req, limits, params, files);
    } else {
      const raw = (await readBody(req, limits.maxBodyBytes)).toString('utf8');
      const body = type === 'application/json' ? jsonParams(raw) : formParams(raw, type);
      for (const [key, value] of body) params.set(key, value);
    }
  }
  return { params: Object.fromEntries(params), files };
}

const tooLarge = (limit: number) =>
  invalid('body', `The request is larger than the limit of ${limit} bytes`, String(limit));

/** Reads the whole body, or fails once it passes the limit (the rest is drained so the answer arrives). */
function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => (size > limit ? reject(tooLarge(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function formParams(raw: string, type: string): Map<string, string> {
  // Clients that post a form without (or with a plain-text) content type still mean a form.
  if (!['', 'application/x-www-form-urlencoded', 'text/plain'].includes(type)) {
    throw invalid('Content-Type', `Unsupported content type ${type}`, type);
  }
  return joined(new URLSearchParams(raw));
}

function jsonParams(raw: string): Map<string, string> {
  if (raw.trim() === '') return new Map();
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw invalid('body', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('body', 'The JSON body must be an object of parameters');
  }
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    const texts = values.filter((v) => v !== null && v !== undefined).map((v) => jsonScalar(key, v));
    if (texts.length > 0) out.set(key, texts.join(', '));
  }
  return out;
}

function jsonScalar(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  throw invalid(key, `Parameter ${key} must be a string, number or boolean`);
}

function readMultipart(
  req: Request,
  limits: Limits,
  params: Map<string, string>,
  files: UploadedFile[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: limits.maxBodyBytes, files: limits.maxFiles, fieldSize: limits.maxBodyBytes },
      });
    } catch {
      reject(invalid('body', 'The multipart body has no boundary'));
      return;
    }
    let failure: TicketError | undefined;
    const fail = (error: TicketError) => {
      failure ??= error;
    };
    const settle = () => (failure ? reject(failure) : resolve());
    // After a failure the parser is let go and the rest of the body drained, so the answer arrives.
    let detached = false;
    const detach = (error: TicketError) => {
      fail(error);
      if (detached) return;
      detached = true;
      req.unpipe(parser);
      // The parser may fail only once the body has ended (a missing closing boundary).
      if (req.readableEnded) settle();
      else req.resume();
    };
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) detach(tooLarge(limits.maxBodyBytes));
    });
    req.on('end', () => {
      if (detached) settle();
    });
    req.on('error', reject);
    parser.on('field', (name, value) => {
      const before = params.get(name);
      params.set(name, before === undefined ? value : `${before}, ${value}`);
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!failure) chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge(limits.maxBodyBytes)));
      stream.on('end', () => {
        // Browsers send an empty part for a file input left empty.
        if (!info.filename && chunks.length === 0) return;
        files.push({
          field,
          filename: cleanFilename(info.filename, field),
          contentType: info.mimeType || 'application/octet-stream',
          data: Buffer.concat(chunks),
        });
      });
    });
    parser.on('filesLimit', () => fail(invalid('file', `At most ${limits.maxFiles} files per request`)));
    parser.on('error', () => detach(invalid('body', 'The multipart body is malformed')));
    parser.on('close', () => {
      if (!detached) settle();
    });
    req.pipe(parser);
  });
}

/**
 * The stored name of an upload: without a client's folders, without control characters (busboy
 * refuses them raw in part headers, but `filename*=UTF-8''a%00b` decodes to a NUL, which a text
 * column cannot hold), at most 255 characters; the field name if nothing is left.
 */
function cleanFilename(raw: string | undefined, field: string): string {
  const name = basename((raw ?? '').replace(/\p{Cc}/gu, '').replace(/\\/g, '/'));
  return Array.from(name).slice(0, 255).join('') || field;
}
