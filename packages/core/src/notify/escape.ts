/**
 * Escaping and length caps for every target format. Alert labels and annotations are untrusted: a label value can
 * hold `<!channel>`, `@everyone`, `[click](https://evil)` or `<script>`. Every builder passes each value through the
 * escaper of its target format and caps it at the platform's documented limit *after* escaping, so a cap never cuts
 * an entity (`&am…`) or a surrogate pair in half.
 */

/** What is appended when a value is cut to fit a limit. */
export const ELLIPSIS = '…';

/** Control characters that are never useful in a notification: C0 (except tab and newline), DEL, C1, and the
 * bidirectional overrides and isolates that can make text read differently from what it is ("Trojan source"). */
// eslint-disable-next-line no-control-regex
const UNSAFE_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Removes control characters (keeping newlines and tabs) and bidi overrides; turns `\r\n` and `\r` into `\n`.
 *
 * @example
 * stripControlCharacters('a\u0000b\u202Ec') // 'abc'
 */
export function stripControlCharacters(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE_CONTROLS, '');
}

/**
 * One line of text: control characters removed, runs of whitespace (including newlines and U+2028/U+2029) folded
 * into one space, trimmed. For titles, e-mail subjects, SMS and header-like fields, where a newline could start a
 * new header or block.
 *
 * @example
 * singleLine('  disk\nfull\r\nBcc: x@evil ') // 'disk full Bcc: x@evil'
 */
export function singleLine(text: string): string {
  return stripControlCharacters(text).replace(/[\s\u2028\u2029]+/g, ' ').trim();
}

/**
 * Escapes `text` code point by code point with `escapeOne` and stops before the escaped result would exceed
 * `maxLength` UTF-16 units (ellipsis included). Never splits an escape sequence or a surrogate pair.
 *
 * @example
 * escapeAndCap('a<b', 6, (c) => (c === '<' ? '&lt;' : c)) // 'a&lt;b'
 * escapeAndCap('a<b', 5, (c) => (c === '<' ? '&lt;' : c)) // 'a…'
 */
export function escapeAndCap(text: string, maxLength: number, escapeOne: (codePoint: string) => string, ellipsis = ELLIPSIS): string {
  if (maxLength <= 0) return '';
  let out = '';
  const pieces: string[] = [];
  for (const codePoint of text) pieces.push(escapeOne(codePoint));
  let total = 0;
  for (const piece of pieces) total += piece.length;
  if (total <= maxLength) return pieces.join('');
  const budget = maxLength - ellipsis.length;
  if (budget < 0) return '';
  for (const piece of pieces) {
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return out + ellipsis;
}

/**
 * Cuts plain text to at most `maxLength` UTF-16 units, ending with an ellipsis when cut, never inside a surrogate pair.
 *
 * @example
 * truncate('abcdef', 4) // 'abc…'
 */
export function truncate(text: string, maxLength: number, ellipsis = ELLIPSIS): string {
  return escapeAndCap(text, maxLength, (c) => c, ellipsis);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtmlCodePoint(c: string): string {
  return HTML_ENTITIES[c] ?? c;
}

/**
 * HTML-escapes text for element content and quoted attribute values (`& < > " '`), after removing control
 * characters. The result can never open a tag, an attribute or an entity of its own.
 *
 * @example
 * escapeHtml('<img src=x onerror="alert(1)">') // '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
 */
export function escapeHtml(text: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  return escapeAndCap(stripControlCharacters(text), maxLength, escapeHtmlCodePoint);
}

function escapeSlackCodePoint(c: string): string {
  return c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c;
}

/**
 * Escapes text for Slack `mrkdwn` and `plain_text`: Slack's three control characters `&`, `<` and `>` become
 * entities, so `<!channel>`, `<@U123>` and `<https://evil|click>` stay literal text. Capped at `maxLength`.
 *
 * @example
 * escapeSlackText('<!channel> & <https://evil|x>') // '&lt;!channel&gt; &amp; &lt;https://evil|x&gt;'
 */
export function escapeSlackText(text: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  return escapeAndCap(stripControlCharacters(text), maxLength, escapeSlackCodePoint);
}

/** Characters with a meaning in Discord's markdown (and masked links, spoilers, headings, lists, quotes, mentions). */
const DISCORD_MARKDOWN = new Set(['\\', '*', '_', '~', '`', '|', '>', '<', '#', '-', '[', ']', '(', ')', ':', '@', '!']);

function escapeDiscordCodePoint(c: string): string {
  // `@` also gets a zero-width space after it, so `@everyone` and `@here` can never ping even if a client ignores
  // the backslash (the builders also send `allowed_mentions: { parse: [] }`).
  if (c === '@') return '\\@\u200B';
  return DISCORD_MARKDOWN.has(c) ? `\\${c}` : c;
}

/**
 * Escapes text for Discord messages and embeds: every markdown character gets a backslash, and `@` a zero-width
 * space after it, so no bold, link, spoiler, code block or mention survives. Capped at `maxLength`.
 *
 * @example
 * escapeDiscordMarkdown('@everyone **x**') // '\\@\u200Beveryone \\*\\*x\\*\\*'
 */
export function escapeDiscordMarkdown(text: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  return escapeAndCap(stripControlCharacters(text), maxLength, escapeDiscordCodePoint);
}

/** Characters with a meaning in the markdown subset of Adaptive Card TextBlocks (bold, italic, lists, links). */
const TEAMS_MARKDOWN = new Set(['\\', '*', '_', '~', '`', '[', ']', '(', ')', '#', '>', '-', '+', '!', '|', '<', '&']);

function escapeTeamsCodePoint(c: string): string {
  return TEAMS_MARKDOWN.has(c) ? `\\${c}` : c;
}

/**
 * Escapes text for Microsoft Teams Adaptive Card TextBlocks and FactSet values (CommonMark backslash escapes of
 * the markdown characters, so no link, emphasis or list survives). Capped at `maxLength`.
 *
 * @example
 * escapeTeamsMarkdown('[x](https://evil)') // '\\[x\\]\\(https://evil\\)'
 */
export function escapeTeamsMarkdown(text: string, maxLength = Number.MAX_SAFE_INTEGER): string {
  return escapeAndCap(stripControlCharacters(text), maxLength, escapeTeamsCodePoint);
}

/**
 * Returns the URL, normalised, when it is an absolute `http:` or `https:` URL without credentials; otherwise
 * `undefined`. Builders only link URLs that pass (no `javascript:`, `data:` or `file:` links from alert content).
 *
 * @example
 * safeHttpUrl('https://runbooks.example/db') // 'https://runbooks.example/db'
 * safeHttpUrl('javascript:alert(1)')          // undefined
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > 2048) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}
