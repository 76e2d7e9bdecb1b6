import MarkdownIt from 'markdown-it';
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
 * The `richText` filter: safe markup where the output is HTML (its output is marked safe because the renderer
 * escapes everything else), the text as typed where it is plain (a text e-mail).
 */
export function addRichTextFilter(env: nunjucks.Environment, markup: boolean): nunjucks.Environment {
  env.addFilter('richText', (text: unknown) =>
    markup ? new nunjucks.runtime.SafeString(renderRichText(String(text ?? ''))) : String(text ?? ''),
  );
  return env;
}
