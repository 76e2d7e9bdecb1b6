/** One free text of a form sent and not taken, with the words that name it. */
export interface TypedText {
  label: string;
  text: string;
}

/**
 * The labels of the staff forms' free-text fields, the one place they are written: the forms show them (the views'
 * `fieldLabels`) and a form sent and not taken gives its text back under them.
 */
export const FIELD_LABELS = {
  answer: 'Votre réponse',
  complement: 'Votre complément',
  clarification: 'Votre question',
  note: 'Note (jamais montrée à l’acheteur)',
  handoverNote: 'Pour le facilitateur suivant : où en est la demande',
  closeMessage: 'Message à l’acheteur',
  transferReason: 'Motif du transfert',
  reason: 'Motif',
  reviewNote: 'Note interne',
  templateBody: 'Texte',
  splitQuestion: 'Question',
} as const;

/**
 * The staff forms whose free text (their textareas, and the absence's reason) is given back, by the path they post to:
 * each field under its form's label (the spec checks the views take it from FIELD_LABELS), and the section of the
 * request's page the form sits in, to return to. A choice of a list (the close's `reason`, a code) is not among them;
 * nor is a password, a token or a hidden field. A split's questions are `topics.<n>.question`.
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
  // A label that varies on its form (an answer or its complement) names every variant.
  {
    action: new RegExp(`${ON_REQUEST}reponse$`),
    labels: { body: `${FIELD_LABELS.answer} ou complément` },
    section: 'titre-reponse',
    helpItems: true,
  },
  { action: new RegExp(`${ON_REQUEST}precision$`), labels: { body: FIELD_LABELS.clarification }, section: 'titre-precision' },
  { action: new RegExp(`${ON_REQUEST}notes$`), labels: { body: FIELD_LABELS.note }, section: 'titre-note' },
  {
    action: new RegExp(`${ON_REQUEST}declin$`),
    labels: { note: FIELD_LABELS.handoverNote },
    section: 'titre-actions',
  },
  { action: new RegExp(`${ON_REQUEST}cloture$`), labels: { message: FIELD_LABELS.closeMessage }, section: 'titre-cloture' },
  { action: new RegExp(`${ON_REQUEST}transfert$`), labels: { reason: FIELD_LABELS.transferReason } },
  { action: new RegExp(`${ON_REQUEST}reaffectation$`), labels: { reason: FIELD_LABELS.reason } },
  { action: new RegExp(`${ON_REQUEST}scission$`), labels: {}, splitQuestions: true },
  { action: /^\/espace\/evaluations\/[^/]+\/revue$/, labels: { note: FIELD_LABELS.reviewNote } },
  { action: /^\/espace\/modeles(\/[^/]+)?$/, labels: { body: FIELD_LABELS.templateBody } },
  { action: /^\/espace\/facilitateurs\/[^/]+\/absences$/, labels: { reason: FIELD_LABELS.reason } },
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
    const label = question
      ? `${FIELD_LABELS.splitQuestion} ${Number(question[1]) + 1}`
      : Object.hasOwn(form.labels, name)
        ? form.labels[name]
        : null;
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
