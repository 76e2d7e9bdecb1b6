import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import nunjucks from 'nunjucks';

/**
 * The few formats an answer or a message may carry: paragraphs, line breaks, lists, emphasis and links.
 * Everything else (raw HTML, images, headings, tables, code) stays as typed text, escaped. Links lead only
 * to http(s) or mailto addresses, and never hand the opened page a handle on ours.
 */
const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false })
  .enable(['list', 'newline', 'escape', 'emphasis', 'link', 'autolink', 'entity'])
  .enable(['linkify'], true);

const ALLOWED_LINK = /^(https?:\/\/|mailto:)/i;
markdown.validateLink = (url: string) => ALLOWED_LINK.test(url.trim());

const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Safe HTML for a message typed by a person; the only place such text becomes markup. */
export function renderRichText(text: string): string {
  return markdown.render(text);
}

/**
 * The same text read as plain text (a text e-mail): emphasis markers dropped, a link as « texte (adresse) », list
 * items as « - » or their number. Parsed by the same parser as the HTML, so what is a link there is one here.
 */
export function richTextAsPlainText(text: string): string {
  const lists: boolean[] = []; // nesting: whether each list is ordered
  const blocks: Array<{ text: string; inList: boolean }> = [];
  let marker: string | null = null;
  const push = (body: string) => {
    const indent = '  '.repeat(Math.max(lists.length - 1, 0));
    const lead = marker === null ? (lists.length ? `${indent}  ` : '') : `${indent}${marker}`;
    blocks.push({ text: lead + body.replace(/\n/g, `\n${' '.repeat(lead.length)}`), inList: lists.length > 0 });
    marker = null;
  };
  for (const token of markdown.parse(text, {})) {
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      if (marker !== null) push(''); // an item that opens with a nested list
      lists.push(token.type === 'ordered_list_open');
    } else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') lists.pop();
    else if (token.type === 'list_item_open') marker = lists.at(-1) ? `${token.info}. ` : '- ';
    else if (token.type === 'list_item_close' && marker !== null) push('');
    else if (token.type === 'inline') push(inlineText(token.children ?? []));
  }
  // Paragraphs are set apart by a blank line; a list's lines follow one another.
  return blocks.map((b, i) => (i === 0 ? '' : b.inList && blocks[i - 1].inList ? '\n' : '\n\n') + b.text.trimEnd()).join('');
}

function inlineText(tokens: Token[]): string {
  let out = '';
  let link: { href: string; start: number; auto: boolean } | null = null;
  for (const token of tokens) {
    if (token.type === 'text') out += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') out += '\n';
    else if (token.type === 'link_open') {
      const href = markdown.normalizeLinkText(String(token.attrGet('href') ?? ''));
      link = { href, start: out.length, auto: token.markup === 'linkify' || token.markup === 'autolink' };
    } else if (token.type === 'link_close' && link) {
      // A bare address already reads as itself; a named link gives its address after the words.
      const address = link.href.replace(/^mailto:/i, '');
      const label = out.slice(link.start);
      if (!link.auto && label !== address && label !== link.href) out += ` (${address})`;
      link = null;
    }
  }
  return out;
}

/**
 * The `richText` filter: safe markup where the output is HTML (its output is marked safe because the renderer
 * escapes everything else), plain text without the formatting marks where it is plain (a text e-mail).
 */
export function addRichTextFilter(env: nunjucks.Environment, markup: boolean): nunjucks.Environment {
  env.addFilter('richText', (text: unknown) =>
    markup ? new nunjucks.runtime.SafeString(renderRichText(String(text ?? ''))) : richTextAsPlainText(String(text ?? '')),
  );
  return env;
}
