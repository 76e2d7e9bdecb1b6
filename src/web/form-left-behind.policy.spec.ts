import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formPagePath, typedTexts } from './form-left-behind.policy';

describe('typedTexts', () => {
  it.each([
    [
      'an answer',
      { _csrf: 't', body: 'Ma réponse\nsur deux lignes', 'items[0][type]': 'guide' },
      [{ label: 'Texte', text: 'Ma réponse\nsur deux lignes' }],
    ],
    ['a close with its message', { reason: 'redirected', message: 'Voyez la CCI.' }, [{ label: 'Message', text: 'Voyez la CCI.' }]],
    ['a transfer’s reason', { reason: 'Hors de mon territoire.' }, [{ label: 'Motif', text: 'Hors de mon territoire.' }]],
    ['a give-back note', { note: 'Acheteur rappelé.' }, [{ label: 'Note', text: 'Acheteur rappelé.' }]],
    [
      'a split',
      { 'topics.0.question': 'Éclairage ?', 'topics.1.question': 'Voirie ?' },
      [
        { label: 'Question 1', text: 'Éclairage ?' },
        { label: 'Question 2', text: 'Voirie ?' },
      ],
    ],
    ['blank texts', { body: '  \n ' }, []],
    ['passwords and tokens', { password: 'secret', currentPassword: 'secret', _csrf: 'x', label: 'Script' }, []],
    ['no body', undefined, []],
  ])('%s', (_label, body, expected) => {
    expect(typedTexts(body)).toEqual(expected);
  });

  it('knows every textarea of the staff pages', () => {
    const modules = join(__dirname, '..', 'modules');
    // The buyer's pages (intake, tracking, surveys) have no staff session to lose.
    const staffViews = readdirSync(modules)
      .filter((name) => !['intake', 'requests', 'surveys'].includes(name))
      .flatMap((name) => {
        const folder = join(modules, name, 'views');
        try {
          return readdirSync(folder).map((file) => readFileSync(join(folder, file), 'utf8'));
        } catch {
          return [];
        }
      });
    const names = staffViews.flatMap((view) => [
      ...[...view.matchAll(/textarea\([^,]+,\s*"([^"]+)"(?:\s*\+\s*\w+\s*\+\s*"([^"]+)")?/g)].map((m) => (m[2] ? `${m[1]}0${m[2]}` : m[1])),
      ...[...view.matchAll(/<textarea[^>]*\sname="([^"]+)"/g)].map((m) => m[1]),
    ]);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names)
      expect([name, typedTexts({ [name]: 'Un texte.' })]).toEqual([name, [expect.objectContaining({ text: 'Un texte.' })]]);
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
