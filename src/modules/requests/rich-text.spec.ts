import { renderRichText, richTextAsPlainText } from './rich-text';

describe('renderRichText', () => {
  it.each([
    [
      'paragraphs and line breaks',
      'Bonjour,\nvoici ma réponse.\n\nCordialement',
      '<p>Bonjour,<br>\nvoici ma réponse.</p>\n<p>Cordialement</p>\n',
    ],
    ['bulleted list', '- un\n- deux', '<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n'],
    ['numbered list', '1. un\n2. deux', '<ol>\n<li>un</li>\n<li>deux</li>\n</ol>\n'],
    ['emphasis', '*important* et **très**', '<p><em>important</em> et <strong>très</strong></p>\n'],
    [
      'markdown link',
      '[le guide](https://www.ecologie.gouv.fr/guide)',
      '<p><a href="https://www.ecologie.gouv.fr/guide" rel="noopener noreferrer">le guide</a></p>\n',
    ],
    [
      'bare address',
      'Voir https://exemple.fr/a',
      '<p>Voir <a href="https://exemple.fr/a" rel="noopener noreferrer">https://exemple.fr/a</a></p>\n',
    ],
    [
      'e-mail address',
      'contact@exemple.fr',
      '<p><a href="mailto:contact@exemple.fr" rel="noopener noreferrer">contact@exemple.fr</a></p>\n',
    ],
    ['script tag', '<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n'],
    ['attribute breakout', '"><img src=x onerror=alert(1)>', '<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>\n'],
    ['javascript: link', '[clic](javascript:alert(1))', '<p>[clic](javascript:alert(1))</p>\n'],
    ['encoded javascript: link', '[clic](jav&#x09;ascript:alert(1))', '<p>[clic](jav\tascript:alert(1))</p>\n'],
    ['data: link', '[clic](data:text/html;base64,PHNjcmlwdD4=)', '<p>[clic](data:text/html;base64,PHNjcmlwdD4=)</p>\n'],
    ['relative link', '[clic](/admin)', '<p>[clic](/admin)</p>\n'],
    ['javascript: autolink', '<javascript:alert(1)>', '<p>&lt;javascript:alert(1)&gt;</p>\n'],
    // No image is ever loaded: the syntax degrades to a plain link.
    ['image', '![x](https://exemple.fr/x.png)', '<p>!<a href="https://exemple.fr/x.png" rel="noopener noreferrer">x</a></p>\n'],
    ['heading', '# Titre', '<p># Titre</p>\n'],
    ['code block', '```\ncode\n```', '<p>```<br>\ncode<br>\n```</p>\n'],
    ['table', '| a | b |\n|---|---|\n| 1 | 2 |', '<p>| a | b |<br>\n|---|---|<br>\n| 1 | 2 |</p>\n'],
  ])('%s', (_label, input, expected) => {
    expect(renderRichText(input)).toBe(expected);
  });

  it.each(['<script>', 'onerror=', 'javascript:'])('never lets %s become markup', (payload) => {
    const html = renderRichText(`x <script>alert(1)</script> "><img src=x onerror=alert(1)> [a](javascript:alert(1)) ${payload}`);
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
  });
});

describe('richTextAsPlainText', () => {
  it.each([
    ['paragraphs and line breaks', 'Bonjour,\nvoici ma réponse.\n\nCordialement', 'Bonjour,\nvoici ma réponse.\n\nCordialement'],
    ['emphasis markers dropped', 'La loi **EGAlim** et *surtout* __ceci__', 'La loi EGAlim et surtout ceci'],
    [
      'named link: the words, then the address',
      'Voyez [ma-cantine](https://ma-cantine.agriculture.gouv.fr/) pour les seuils.',
      'Voyez ma-cantine (https://ma-cantine.agriculture.gouv.fr/) pour les seuils.',
    ],
    ['bare address kept once', 'Voir https://exemple.fr/a', 'Voir https://exemple.fr/a'],
    ['angle-bracket address kept once', 'Voir <https://exemple.fr/a>', 'Voir https://exemple.fr/a'],
    ['e-mail address kept once', 'Écrivez à contact@exemple.fr', 'Écrivez à contact@exemple.fr'],
    ['mailto link: the address without its scheme', '[Écrivez-moi](mailto:alex@exemple.fr)', 'Écrivez-moi (alex@exemple.fr)'],
    ['link named by its address', '[https://exemple.fr/a](https://exemple.fr/a)', 'https://exemple.fr/a'],
    ['bulleted list after a paragraph', 'Deux pistes :\n* un\n* **deux**', 'Deux pistes :\n\n- un\n- deux'],
    ['numbered list keeps its numbers', '1. un\n2. deux\n\nFin', '1. un\n2. deux\n\nFin'],
    ['numbered list from 3', '3. trois\n4. quatre', '3. trois\n4. quatre'],
    ['nested list indented', '- un\n  - un bis\n- deux', '- un\n  - un bis\n- deux'],
    ['item over two lines', '- un\n  suite', '- un\n  suite'],
    ['escaped markers stay as typed', '\\*pas d’emphase\\*', '*pas d’emphase*'],
    ['entities read as characters', 'R&amp;D &lt;b&gt;', 'R&D <b>'],
    ['HTML stays as typed (the text part is not HTML)', '<b>gras</b>', '<b>gras</b>'],
    ['refused link stays as typed', '[clic](javascript:alert(1))', '[clic](javascript:alert(1))'],
    ['heading stays as typed', '# Titre', '# Titre'],
    ['empty text', '', ''],
  ])('%s', (_label, input, expected) => {
    expect(richTextAsPlainText(input)).toBe(expected);
  });
});
