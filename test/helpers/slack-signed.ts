import { createHmac } from 'node:crypto';

/** Signs a body as Slack does: v0= HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function sign(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface SignedResponse {
  status: number;
  text: string;
  json(): unknown;
}

/**
 * Posts to the real Bolt receiver the way Slack does: slash commands as form fields, interactivity
 * as `payload=<JSON>` (content type exactly application/x-www-form-urlencoded), events as JSON.
 */
export function slackClient(endpoint: string, secret: string) {
  async function post(
    body: string,
    contentType: string,
    opts: { timestamp?: number; secret?: string; headers?: Record<string, string> } = {},
  ): Promise<SignedResponse> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...sign(opts.secret ?? secret, body, opts.timestamp),
        ...opts.headers,
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => (text ? JSON.parse(text) : undefined) };
  }
  const form = 'application/x-www-form-urlencoded';
  return {
    command: (fields: Record<string, string>, opts?: Parameters<typeof post>[2]) =>
      post(new URLSearchParams(fields).toString(), form, opts),
    interaction: (payload: unknown, opts?: Parameters<typeof post>[2]) =>
      post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), form, opts),
    event: (body: unknown, opts?: Parameters<typeof post>[2]) =>
      post(JSON.stringify(body), 'application/json', opts),
  };
}
