/** One free text of a form sent and not taken, with the words that name it. */
export interface TypedText {
  label: string;
  text: string;
}

/**
 * The free-text fields of the staff forms (their textareas), by name; a split's questions are `topics.<n>.question`.
 * Only these come back: never a password, a token or a hidden field.
 */
const FREE_TEXT_LABELS: Record<string, string> = {
  body: 'Texte',
  note: 'Note',
  message: 'Message',
  reason: 'Motif',
};
const SPLIT_QUESTION = /^topics\.(\d{1,2})\.question$/;
/**
 * The forms that send one of these names as a choice of a list (radios), by the action they post to: the close's and the
 * decline's `reason` is a code (`no_reply`). Told by the form, never by the value: a transfer's reason may be one word.
 */
const CHOICE_FIELDS: Record<string, readonly string[]> = {
  cloture: ['reason'],
  declin: ['reason'],
};

/** What the person had typed in the textareas of the form posted to `postPath`, in the form's order; blank ones say nothing. */
export function typedTexts(body: unknown, postPath: string): TypedText[] {
  if (!body || typeof body !== 'object') return [];
  const action = postPath.replace(/\/+$/, '').split('/').pop() ?? '';
  const choices = Object.hasOwn(CHOICE_FIELDS, action) ? CHOICE_FIELDS[action] : [];
  return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) => {
    if (typeof value !== 'string' || value.trim() === '' || choices.includes(name)) return [];
    const question = SPLIT_QUESTION.exec(name);
    const label = question ? `Question ${Number(question[1]) + 1}` : Object.hasOwn(FREE_TEXT_LABELS, name) ? FREE_TEXT_LABELS[name] : null;
    return label ? [{ label, text: value }] : [];
  });
}

/**
 * The page a form was on, from the path it posted to: that path when it is a page too (a form sent to its own page),
 * else its nearest parent that is (an action under a request's page). A local path, the workspace's home at worst.
 */
export function formPagePath(postPath: string, isPage: (path: string) => boolean): string {
  const segments = postPath.split('/');
  for (let n = segments.length; n > 1; n--) {
    const candidate = segments.slice(0, n).join('/');
    if (candidate.startsWith('/') && !candidate.startsWith('//') && isPage(candidate)) return candidate;
  }
  return '/espace';
}
