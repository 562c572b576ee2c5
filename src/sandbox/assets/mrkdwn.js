// Slack's mrkdwn as Slack draws it: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes,
// <links|labels>, <@user> and <#channel> mentions, <!here>-style broadcasts, <!date^…> in the
// reader's time zone. Everything else is text: escaped here, never interpreted as HTML.

/** HTML-escapes text; Slack's own &lt; &gt; &amp; are already escapes and stay as they are. */
export function esc(text) {
  return String(text ?? '')
    .replace(/&(?!(lt|gt|amp|quot);)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const TOKEN = /```([\s\S]*?)```|`([^`\n]+)`|<([^<>\n]+)>/g;

/** mrkdwn to HTML; `ctx` gives names of people and the reader's time zone. */
export function mrkdwn(text, ctx) {
  let html = '';
  let last = 0;
  for (const m of String(text ?? '').matchAll(TOKEN)) {
    html += inline(text.slice(last, m.index));
    if (m[1] !== undefined) html += `<pre class="md-pre">${esc(m[1].replace(/^\n/, ''))}</pre>`;
    else if (m[2] !== undefined) html += `<code class="md-code">${esc(m[2])}</code>`;
    else html += control(m[3], ctx);
    last = m.index + m[0].length;
  }
  html += inline(String(text ?? '').slice(last));
  return quotes(html);
}

/** The emoji the bot uses, by Slack short name; any other :name: stays as typed. */
const EMOJI = {
  rotating_light: '🚨',
  white_check_mark: '✅',
  warning: '⚠️',
  star: '⭐',
  lock: '🔒',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  envelope: '✉️',
  x: '❌',
  no_entry: '⛔',
  zap: '⚡',
};

// Slack (and slackify-markdown) put zero-width spaces around markers so they parse next to words.
function inline(text) {
  return esc(text)
    .replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] ?? all)
    .replace(/(^|[\s(>\u200b])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s).,!?:;<\u200b])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(>\u200b])_(?=\S)([^_\n]*?\S)_(?=$|[\s).,!?:;<\u200b])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(>\u200b])~(?=\S)([^~\n]*?\S)~(?=$|[\s).,!?:;<\u200b])/g, '$1<s>$2</s>');
}

/** Lines starting with "> " are a quote; the rest keep their line breaks. */
function quotes(html) {
  return html
    .split('\n')
    .map((line) =>
      line.startsWith('&gt; ') || line === '&gt;'
        ? `<blockquote class="md-quote">${line.slice(5)}</blockquote>`
        : `${line}<br>`,
    )
    .join('')
    .replace(/<br>$/, '');
}

function control(inner, ctx) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const name = ctx.names[target.slice(1)] ?? label ?? target.slice(1);
    return `<span class="md-mention">@${esc(name)}</span>`;
  }
  if (target.startsWith('#')) return `<span class="md-mention">#${esc(label ?? target.slice(1))}</span>`;
  if (target.startsWith('!subteam^'))
    return `<span class="md-mention">${esc(label ?? `@${target.slice(9)}`)}</span>`;
  if (target.startsWith('!date^'))
    return `<span class="md-date">${esc(slackDate(target, label, ctx))}</span>`;
  if (target.startsWith('!')) return `<span class="md-mention md-broadcast">@${esc(target.slice(1))}</span>`;
  if (/^(https?:|mailto:)/i.test(target)) {
    return `<a href="${esc(target)}" target="_blank" rel="noopener noreferrer">${esc(label ?? target)}</a>`;
  }
  return esc(`<${inner}>`);
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** <!date^unix^{date_short_pretty} {time}|fallback> in the reader's zone, as Slack shows it. */
function slackDate(target, fallback, ctx) {
  const [, unix, format = ''] = target.split('^');
  const date = new Date(Number(unix) * 1000);
  if (Number.isNaN(date.getTime())) return fallback ?? '';
  const opts = { timeZone: ctx.tz };
  const day = date.toLocaleDateString('en-US', { ...opts, month: 'short', day: 'numeric', year: 'numeric' });
  const time = date.toLocaleTimeString('en-US', { ...opts, hour: 'numeric', minute: '2-digit' });
  return format
    .replace(/\{date_short_pretty\}|\{date_pretty\}|\{date_short\}|\{date\}|\{date_num\}/g, day)
    .replace(/\{time\}|\{time_secs\}/g, time);
}

/** A text object (plain_text or mrkdwn). */
export function textObject(t, ctx) {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwn(t.text, ctx) : esc(t.text);
}
