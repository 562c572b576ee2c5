import slackifyMarkdown from 'slackify-markdown';

/** Escapes text for mrkdwn: no markup, no links, no mentions. For names, subjects and the like. */
export function escapeText(text: string): string {
  return neutralizeBroadcasts(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** How a person who acted is shown: a Slack user id is mentioned, anything else is escaped text. */
export function mentionOrText(who: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(who) ? `<@${who}>` : escapeText(who);
}

// Links slackify-markdown itself produces from [text](url) with a real URL: the only `<…>` we keep.
const SAFE_LINK = /<(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|[^<>]*)?>/g;

/**
 * Markdown written by clients or staff → Slack mrkdwn, with a maintained converter; then every
 * `<`, `>` and `&` it did not produce as a web link is escaped, so nobody can inject `<!channel>`,
 * `<@U…>`, `<!subteam^…>`, `<#C…>` or a link whose label hides its address through a message.
 */
export function markdownToMrkdwn(markdown: string): string {
  // No `<` of the writer's reaches the converter: raw HTML and `<…>` autolinks pass through it
  // unchanged, so they would look like links it made. The writer's `<` comes back as `&lt;`.
  const converted = slackifyMarkdown(markdown.replaceAll('<', WRITERS_LT)).replace(/\n+$/, '');
  let out = '';
  let last = 0;
  for (const match of converted.matchAll(SAFE_LINK)) {
    out += escapeText(decoded(converted.slice(last, match.index)));
    const [url, label] = match[0].slice(1, -1).split(/\|(.*)/s);
    // Text that reads as an address must be the address: `[bank.example](evil.example)` shows evil.example.
    out +=
      label === undefined || looksLikeAddress(label) ? `<${url}>` : `<${url}|${escapeText(decoded(label))}>`;
    last = (match.index ?? 0) + match[0].length;
  }
  return (out + escapeText(decoded(converted.slice(last)))).replaceAll(WRITERS_LT, '&lt;');
}

/** The converter writes `&`, `<` and `>` of the text as entities; escapeText writes them once more. */
const decoded = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Stands in for the writer's `<` during conversion: a private-use character, plain text to Markdown. */
const WRITERS_LT = '\uE000';

/** A link text a reader would take for where the link goes: a URL, an e-mail or a domain name. */
function looksLikeAddress(label: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\/|^mailto:|@|^\s*(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?\s*$/i.test(label);
}

/** `@channel`, `@here` and `@everyone` typed as text: a word joiner keeps Slack from reading them. */
function neutralizeBroadcasts(text: string): string {
  return text.replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');
}
