import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { carriesHelpItems, FIELD_LABELS, formPagePath, formReturnPath, typedTexts } from './form-left-behind.policy';

describe('typedTexts', () => {
  const request = '/espace/demandes/GV-1';
  it.each([
    [
      'an answer',
      `${request}/reponse`,
      { _csrf: 't', body: 'Ma réponse\nsur deux lignes', 'items[0][type]': 'guide' },
      [{ label: 'Votre réponse ou complément', text: 'Ma réponse\nsur deux lignes' }],
    ],
    ['a note', `${request}/notes`, { body: 'Rappelé.' }, [{ label: 'Note (jamais montrée à l’acheteur)', text: 'Rappelé.' }]],
    ['a question to the buyer', `${request}/precision`, { body: 'Quel lot ?' }, [{ label: 'Votre question', text: 'Quel lot ?' }]],
    [
      'a close with its message',
      `${request}/cloture`,
      { reason: 'redirected', message: 'Voyez la CCI.' },
      [{ label: 'Message à l’acheteur', text: 'Voyez la CCI.' }],
    ],
    ['a decline’s choice', `${request}/declin`, { reason: 'not_my_territory', note: '' }, []],
    [
      'a transfer’s reason',
      `${request}/transfert`,
      { reason: 'Hors de mon territoire.' },
      [{ label: 'Motif du transfert', text: 'Hors de mon territoire.' }],
    ],
    ['a transfer’s one-word reason', `${request}/transfert`, { reason: 'doublon' }, [{ label: 'Motif du transfert', text: 'doublon' }]],
    ['a reassignment’s one-word reason', `${request}/reaffectation/`, { reason: 'urgent' }, [{ label: 'Motif', text: 'urgent' }]],
    [
      'a give-back note',
      `${request}/declin`,
      { reason: 'unavailable', note: 'Acheteur rappelé.' },
      [{ label: 'Pour le facilitateur suivant : où en est la demande', text: 'Acheteur rappelé.' }],
    ],
    [
      'a split',
      `${request}/scission`,
      { 'topics.0.question': 'Éclairage ?', 'topics.1.question': 'Voirie ?' },
      [
        { label: 'Question 1', text: 'Éclairage ?' },
        { label: 'Question 2', text: 'Voirie ?' },
      ],
    ],
    ['a split’s question name on another form', `${request}/notes`, { 'topics.0.question': 'Éclairage ?' }, []],
    ['blank texts', `${request}/notes`, { body: '  \n ' }, []],
    ['passwords and tokens', '/espace/compte/jetons', { password: 'secret', currentPassword: 'secret', _csrf: 'x', label: 'Script' }, []],
    ['a form of no known page', '/espace/x', { body: 'Un texte.' }, []],
    ['no body', `${request}/notes`, undefined, []],
  ])('%s', (_label, path, body, expected) => {
    expect(typedTexts(body, path)).toEqual(expected);
  });

  /** The staff pages' templates: the buyer's pages (intake, tracking, surveys) have no staff session to lose. */
  function staffViews(): string[] {
    const modules = join(__dirname, '..', 'modules');
    return readdirSync(modules)
      .filter((name) => !['intake', 'requests', 'surveys'].includes(name))
      .flatMap((name) => {
        const folder = join(modules, name, 'views');
        try {
          return readdirSync(folder).map((file) => readFileSync(join(folder, file), 'utf8'));
        } catch {
          return [];
        }
      });
  }
  /** A form's action as it posts: a request's page, an evaluation's or a template's for their template expressions. */
  const posted = (action: string) =>
    action
      .replace(/\{\{ request\.reference[^}]*\}\}/g, 'GV-2026-000001')
      .replace(/\{\{ (evaluation|template|a)\.id \}\}/g, 'abc')
      .replace(/\{\{ page \}\}/g, '/espace/modeles')
      .replace(/\{\{ pageUrl \}\}/g, '/espace/facilitateurs/abc/absences')
      .replace(/\{\{ actionQuery \}\}/g, '');
  /** Each staff form's action, as it posts, and its markup. */
  const staffForms = () =>
    staffViews().flatMap((view) =>
      [...view.matchAll(/<form[^>]*\saction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].map(([, action, form]) => ({
        action: posted(action),
        form,
      })),
    );

  /** A label that varies on its form (`fieldLabels.a if … else fieldLabels.b`) is given back by one true of every variant. */
  const NAMING_EVERY_VARIANT: Record<string, string> = {
    'complement|answer': 'Votre réponse ou complément',
  };
  /** A label as the view writes it: one of the table's, by its key; a text written in the view is kept, to fail. */
  const LABEL = String.raw`(?:fieldLabels\.(\w+)|"([^"]+)")`;
  const keyOf = (key: string | undefined, written: string | undefined) => key ?? `written in the view: ${written}`;

  it('gives back every textarea of the staff forms under the label its form shows, both from one table', () => {
    const fields = staffForms().flatMap(({ action, form }) => [
      ...[
        ...form.matchAll(
          new RegExp(
            String.raw`textarea\([^,]+,\s*"([^"]+)"(?:\s*\+\s*\w+\s*\+\s*"([^"]+)")?,\s*${LABEL}(?: if [^,]+ else ${LABEL})?`,
            'g',
          ),
        ),
      ].map((m) => ({
        action,
        name: m[2] ? `${m[1]}0${m[2]}` : m[1],
        keys: [keyOf(m[3], m[4]), ...(m[5] || m[6] ? [keyOf(m[5], m[6])] : [])],
        numbered: Boolean(m[2]),
      })),
      ...[
        ...form.matchAll(
          /<label[^>]*>\s*(?:\{\{ fieldLabels\.(\w+) \}\}|([^<{(]+?))\s*(?:\(facultatif\))?\s*(?:<span[\s\S]*?)?<\/label>\s*<textarea[^>]*\sname="([^"]+)"/g,
        ),
      ].map((m) => ({ action, name: m[3], keys: [keyOf(m[1], m[2]?.trim())], numbered: false })),
    ]);
    expect(fields.length).toBeGreaterThan(8);
    for (const { action, name, keys, numbered } of fields) {
      const [given] = typedTexts({ [name]: 'Un texte.' }, action);
      const shown = keys.length === 1 ? FIELD_LABELS[keys[0] as keyof typeof FIELD_LABELS] : NAMING_EVERY_VARIANT[keys.join('|')];
      // A split's first question is given back as « Question 1 ».
      const expected = shown === undefined ? 'a label of the table' : numbered ? `${shown} 1` : shown;
      expect([action, name, keys, given?.label]).toEqual([action, name, keys, expected]);
    }
  });

  it('gives back no choice of a list sent by a staff form, even one named like a text elsewhere', () => {
    const choices = staffForms().flatMap(({ action, form }) =>
      [...form.matchAll(/\b(?:radios|checkboxes|select)\([^,]+,\s*"([^"]+)"/g)].map((m) => ({ action, name: m[1] })),
    );
    expect(choices).toContainEqual({ action: '/espace/demandes/GV-2026-000001/cloture', name: 'reason' });
    for (const { action, name } of choices) expect([action, name, typedTexts({ [name]: 'a_code' }, action)]).toEqual([action, name, []]);
  });
});

describe('formReturnPath', () => {
  const pages = new Set(['/espace', '/espace/demandes/GV-1', '/espace/demandes/GV-1/transfert']);
  it.each([
    ['the answer, at its section', '/espace/demandes/GV-1/reponse', '/espace/demandes/GV-1#titre-reponse'],
    ['a note, at its section', '/espace/demandes/GV-1/notes', '/espace/demandes/GV-1#titre-note'],
    ['a form of its own page', '/espace/demandes/GV-1/transfert', '/espace/demandes/GV-1/transfert'],
    ['an action of no section', '/espace/demandes/GV-1/prise-en-charge', '/espace/demandes/GV-1'],
  ])('%s', (_label, path, to) => {
    expect(formReturnPath(path, (candidate) => pages.has(candidate))).toBe(to);
  });
});

describe('carriesHelpItems', () => {
  it.each([
    ['/espace/demandes/GV-1/reponse', true],
    ['/espace/demandes/GV-1/notes', false],
  ])('%s: %s', (path, expected) => expect(carriesHelpItems(path)).toBe(expected));
});

describe('formPagePath', () => {
  const pages = new Set(['/espace', '/espace/demandes/GV-1', '/espace/demandes/GV-1/transfert', '/espace/compte', '/espace/comptes']);
  it.each([
    ['an action under a request', '/espace/demandes/GV-1/reponse', '/espace/demandes/GV-1'],
    ['a form sent to its own page', '/espace/demandes/GV-1/transfert', '/espace/demandes/GV-1/transfert'],
    ['an action two levels down', '/espace/compte/jetons/abc/revocation', '/espace/compte'],
    ['an action on a listed item', '/espace/comptes/abc/reactivation', '/espace/comptes'],
    ['a trailing slash', '/espace/comptes/', '/espace/comptes'],
    ['nothing known', '/espace-inconnu/x', '/espace'],
    ['another host, never', '//exemple.com/espace', '/espace'],
  ])('%s', (_label, path, page) => {
    expect(formPagePath(path, (candidate) => pages.has(candidate))).toBe(page);
  });
});
