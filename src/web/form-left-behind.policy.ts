/** One free text of a form sent and not taken, with the words that name it. */
export interface TypedText {
  label: string;
  text: string;
}

/**
 * The staff forms whose free text (their textareas, and the absence's reason) is given back, by the path they post to:
 * each field labelled as on its form (the spec reads the views to keep them so), and the section of the request's page
 * the form sits in, to return to. A choice of a list (the close's `reason`, a code) is not among them; nor is a password,
 * a token or a hidden field. A split's questions are `topics.<n>.question`.
 */
interface StaffForm {
  action: RegExp;
  labels: Record<string, string>;
  section?: string;
  /** The answer's: its help items are given back too. */
  helpItems?: true;
  splitQuestions?: true;
}
const ON_REQUEST = '^/espace/demandes/[^/]+/';
const STAFF_FORMS: readonly StaffForm[] = [
  // Labels that vary on the form (an answer or its complement, a pool's assignment or a reassignment) name every variant.
  {
    action: new RegExp(`${ON_REQUEST}reponse$`),
    labels: { body: 'Votre réponse ou complément' },
    section: 'titre-reponse',
    helpItems: true,
  },
  { action: new RegExp(`${ON_REQUEST}precision$`), labels: { body: 'Votre question' }, section: 'titre-precision' },
  { action: new RegExp(`${ON_REQUEST}notes$`), labels: { body: 'Note (jamais montrée à l’acheteur)' }, section: 'titre-note' },
  {
    action: new RegExp(`${ON_REQUEST}declin$`),
    labels: { note: 'Pour le facilitateur suivant : où en est la demande' },
    section: 'titre-actions',
  },
  { action: new RegExp(`${ON_REQUEST}cloture$`), labels: { message: 'Message à l’acheteur' }, section: 'titre-cloture' },
  { action: new RegExp(`${ON_REQUEST}transfert$`), labels: { reason: 'Motif du transfert' } },
  { action: new RegExp(`${ON_REQUEST}reaffectation$`), labels: { reason: 'Motif' } },
  { action: new RegExp(`${ON_REQUEST}scission$`), labels: {}, splitQuestions: true },
  { action: /^\/espace\/evaluations\/[^/]+\/revue$/, labels: { note: 'Note interne' } },
  { action: /^\/espace\/modeles(\/[^/]+)?$/, labels: { body: 'Texte' } },
  { action: /^\/espace\/facilitateurs\/[^/]+\/absences$/, labels: { reason: 'Motif' } },
];
const SPLIT_QUESTION = /^topics\.(\d{1,2})\.question$/;

function staffFormOf(postPath: string): StaffForm | undefined {
  const action = postPath.replace(/\/+$/, '');
  return STAFF_FORMS.find((form) => form.action.test(action));
}

/** What the person had typed in the free-text fields of the form posted to `postPath`, in the form's order; blank ones say nothing. */
export function typedTexts(body: unknown, postPath: string): TypedText[] {
  const form = staffFormOf(postPath);
  if (!form || !body || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) => {
    if (typeof value !== 'string' || value.trim() === '') return [];
    const question = form.splitQuestions ? SPLIT_QUESTION.exec(name) : null;
    const label = question ? `Question ${Number(question[1]) + 1}` : Object.hasOwn(form.labels, name) ? form.labels[name] : null;
    return label ? [{ label, text: value }] : [];
  });
}

/** Whether the form posted to `postPath` carries help items to give back (the answer's). */
export function carriesHelpItems(postPath: string): boolean {
  return staffFormOf(postPath)?.helpItems === true;
}

/** The page to go back to for the form posted to `postPath`, at the form's own section when it is one of a request page's. */
export function formReturnPath(postPath: string, isPage: (path: string) => boolean): string {
  const page = formPagePath(postPath, isPage);
  const section = staffFormOf(postPath)?.section;
  return section ? `${page}#${section}` : page;
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
