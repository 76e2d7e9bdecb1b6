import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formPagePath, typedTexts } from './form-left-behind.policy';

describe('typedTexts', () => {
  const request = '/espace/demandes/GV-1';
  it.each([
    [
      'an answer',
      `${request}/reponse`,
      { _csrf: 't', body: 'Ma réponse\nsur deux lignes', 'items[0][type]': 'guide' },
      [{ label: 'Texte', text: 'Ma réponse\nsur deux lignes' }],
    ],
    [
      'a close with its message',
      `${request}/cloture`,
      { reason: 'redirected', message: 'Voyez la CCI.' },
      [{ label: 'Message', text: 'Voyez la CCI.' }],
    ],
    ['a decline’s choice', `${request}/declin`, { reason: 'not_my_territory', note: '' }, []],
    [
      'a transfer’s reason',
      `${request}/transfert`,
      { reason: 'Hors de mon territoire.' },
      [{ label: 'Motif', text: 'Hors de mon territoire.' }],
    ],
    ['a transfer’s one-word reason', `${request}/transfert`, { reason: 'doublon' }, [{ label: 'Motif', text: 'doublon' }]],
    ['a reassignment’s one-word reason', `${request}/reaffectation/`, { reason: 'urgent' }, [{ label: 'Motif', text: 'urgent' }]],
    [
      'a give-back note',
      `${request}/declin`,
      { reason: 'unavailable', note: 'Acheteur rappelé.' },
      [{ label: 'Note', text: 'Acheteur rappelé.' }],
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
    ['blank texts', `${request}/notes`, { body: '  \n ' }, []],
    ['passwords and tokens', '/espace/compte/jetons', { password: 'secret', currentPassword: 'secret', _csrf: 'x', label: 'Script' }, []],
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

  it('knows every textarea of the staff pages', () => {
    const names = staffViews().flatMap((view) => [
      ...[...view.matchAll(/textarea\([^,]+,\s*"([^"]+)"(?:\s*\+\s*\w+\s*\+\s*"([^"]+)")?/g)].map((m) => (m[2] ? `${m[1]}0${m[2]}` : m[1])),
      ...[...view.matchAll(/<textarea[^>]*\sname="([^"]+)"/g)].map((m) => m[1]),
    ]);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names)
      expect([name, typedTexts({ [name]: 'Un texte.' }, '/espace/x')]).toEqual([name, [expect.objectContaining({ text: 'Un texte.' })]]);
  });

  it('gives back no choice of a list sent by a staff form, even one named like a text elsewhere', () => {
    const choices = staffViews().flatMap((view) =>
      [...view.matchAll(/<form[^>]*\saction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].flatMap(([, action, form]) =>
        [...form.matchAll(/\b(?:radios|checkboxes|select)\([^,]+,\s*"([^"]+)"/g)].map((m) => ({ action, name: m[1] })),
      ),
    );
    expect(choices).toContainEqual({ action: '/espace/demandes/{{ request.reference }}/cloture', name: 'reason' });
    for (const { action, name } of choices) expect([action, name, typedTexts({ [name]: 'a_code' }, action)]).toEqual([action, name, []]);
  });
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
