import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
// @ts-expect-error -- jsdom ships no types and @types/jsdom is not a dependency; only its DOM parser is used here.
import { JSDOM } from 'jsdom';
import { ELLIPSIS, escapeAndCap, escapeDiscordMarkdown, escapeHtml, escapeSlackText, escapeTeamsMarkdown, safeHttpUrl, singleLine, stripControlCharacters, truncate } from './escape';
import { HOSTILE, hostileString } from './test-fixtures';

// Property tests over large hostile inputs; this is not a timing test (the machine is shared).
vi.setConfig({ testTimeout: 60_000 });

const runs = { numRuns: 300 };

/** Reverses Slack's three entities; a result with any other `&`, `<` or `>` sequence fails the test. */
function unescapeSlack(text: string): string {
  expect(text).not.toMatch(/[<>]/);
  expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A tokenizer for backslash-escaped markdown: every special character must be escaped by a backslash; an escape
 * must escape a special character. Returns the text with the escapes removed.
 */
function unescapeMarkdown(text: string, specials: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      const next = text[i + 1];
      expect(next !== undefined && specials.includes(next), `escape at ${i} in ${JSON.stringify(text)}`).toBe(true);
      out += next;
      i++;
      continue;
    }
    expect(specials.includes(c), `unescaped ${JSON.stringify(c)} at ${i} in ${JSON.stringify(text)}`).toBe(false);
    out += c;
  }
  return out;
}

const DISCORD_SPECIALS = '\\*_~`|><#-[]():@!';
const TEAMS_SPECIALS = '\\*_~`[]()#>-+!|<&';

describe('escaping (fast-check)', () => {
  it('escapeHtml: a real HTML parser sees exactly one text node equal to the input', () => {
    const dom = new JSDOM('<!doctype html><body></body>');
    const { document } = dom.window;
    fc.assert(
      fc.property(hostileString(300), (text) => {
        document.body.innerHTML = `<p title="${escapeHtml(text)}">${escapeHtml(text)}</p>`;
        const p = document.body.firstElementChild;
        expect(document.body.children.length).toBe(1);
        expect(p?.children.length).toBe(0);
        expect(p?.getAttributeNames()).toEqual(['title']);
        expect(p?.textContent).toBe(stripControlCharacters(text));
        expect(p?.getAttribute('title')).toBe(stripControlCharacters(text));
      }),
      runs,
    );
  });

  it('escapeSlackText leaves no control character and round-trips', () => {
    fc.assert(fc.property(hostileString(), (text) => {
      expect(unescapeSlack(escapeSlackText(text))).toBe(stripControlCharacters(text));
    }), runs);
  });

  it('escapeDiscordMarkdown leaves no markdown or mention and round-trips', () => {
    fc.assert(
      fc.property(hostileString(), (text) => {
        const escaped = escapeDiscordMarkdown(text);
        expect(escaped).not.toMatch(/@(everyone|here)/);
        expect(unescapeMarkdown(escaped.replace(/@\u200B/g, '@'), DISCORD_SPECIALS)).toBe(stripControlCharacters(text));
      }),
      runs,
    );
  });

  it('escapeTeamsMarkdown leaves no markdown and round-trips', () => {
    fc.assert(fc.property(hostileString(), (text) => {
      expect(unescapeMarkdown(escapeTeamsMarkdown(text), TEAMS_SPECIALS)).toBe(stripControlCharacters(text));
    }), runs);
  });

  it('caps never exceed the limit, never split an escape or a surrogate pair, and only cut when needed', () => {
    fc.assert(
      fc.property(hostileString(400), fc.integer({ min: 0, max: 500 }), (text, max) => {
        for (const [escape, check] of [
          [escapeHtml, (s: string) => expect(s.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&')],
          [escapeSlackText, (s: string) => unescapeSlack(s)],
          [escapeDiscordMarkdown, (s: string) => unescapeMarkdown(s.replace(/@\u200B/g, '@'), DISCORD_SPECIALS)],
          [escapeTeamsMarkdown, (s: string) => unescapeMarkdown(s, TEAMS_SPECIALS)],
        ] as const) {
          const full = escape(text);
          const capped = escape(text, max);
          expect(capped.length).toBeLessThanOrEqual(max);
          if (full.length <= max) expect(capped).toBe(full);
          else {
            expect(capped === '' || capped.endsWith(ELLIPSIS)).toBe(true);
            const kept = capped.endsWith(ELLIPSIS) ? capped.slice(0, -ELLIPSIS.length) : capped;
            expect(full.startsWith(kept)).toBe(true);
            check(kept);
            expect(/[\uD800-\uDBFF]$/.test(kept)).toBe(false);
          }
        }
      }),
      runs,
    );
  });

  it('truncate keeps short text and cuts long text to the limit', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe(`ab${ELLIPSIS}`);
    expect(truncate('😀😀', 2)).toBe(ELLIPSIS); // never half a surrogate pair
    expect(escapeAndCap('a<b', 5, (c) => (c === '<' ? '&lt;' : c))).toBe(`a${ELLIPSIS}`);
  });

  it('singleLine removes every line break, so a header cannot be injected', () => {
    fc.assert(
      fc.property(hostileString(), (text) => {
        const line = singleLine(text);
        // eslint-disable-next-line no-control-regex -- the point is that no control character survives
        expect(line).not.toMatch(/[\r\n\u2028\u2029\u0000-\u001f]/);
      }),
      runs,
    );
    expect(singleLine(HOSTILE[14] as string)).toBe('line1 Bcc: victim@example.com Subject: hi');
  });

  it('safeHttpUrl only lets absolute http(s) URLs without credentials through', () => {
    expect(safeHttpUrl('https://runbooks.example/db?x=1')).toBe('https://runbooks.example/db?x=1');
    expect(safeHttpUrl('http://a.example')).toBe('http://a.example/');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'file:///etc/passwd', '/relative', 'https://user:pw@x.example/', '', 'vbscript:x', undefined]) {
      expect(safeHttpUrl(bad)).toBeUndefined();
    }
    fc.assert(
      fc.property(hostileString(), (text) => {
        const safe = safeHttpUrl(text);
        if (safe !== undefined) expect(safe).toMatch(/^https?:\/\//);
      }),
      runs,
    );
  });
});
