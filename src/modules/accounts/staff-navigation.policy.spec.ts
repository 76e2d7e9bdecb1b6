import { asksLeftDrafts, staffNavigation } from './staff-navigation.policy';

const facilitator = { role: 'facilitator' as const, facilitatorId: 'f1' };
const animator = { role: 'animator' as const, facilitatorId: null };
const admin = { role: 'admin' as const, facilitatorId: null };

describe('staffNavigation', () => {
  it.each([
    [
      'a facilitator',
      facilitator,
      [
        'Mes demandes /espace',
        'Évaluations /espace/evaluations',
        'Ma fiche /espace/facilitateurs/f1/fiche',
        'Mes absences /espace/facilitateurs/f1/absences',
      ],
    ],
    [
      'a facilitator account with no directory record',
      { role: 'facilitator' as const, facilitatorId: null },
      ['Mes demandes /espace', 'Évaluations /espace/evaluations'],
    ],
    [
      'an animator',
      animator,
      [
        'Demandes /espace',
        'Évaluations /espace/evaluations',
        'Indicateurs /espace/indicateurs',
        'Facilitateurs /espace/facilitateurs',
        'Modèles de réponse /espace/modeles',
        'Comptes /espace/comptes',
        'Réseaux /espace/reseaux',
        'Journal /espace/journal',
      ],
    ],
    [
      'an admin',
      admin,
      [
        'Demandes /espace',
        'Évaluations /espace/evaluations',
        'Indicateurs /espace/indicateurs',
        'Facilitateurs /espace/facilitateurs',
        'Modèles de réponse /espace/modeles',
        'Comptes /espace/comptes',
        'Réseaux /espace/reseaux',
        'Journal /espace/journal',
        'Files de traitement /admin/queues',
      ],
    ],
  ])('lists what %s may open', (_label, staff, expected) => {
    expect(staffNavigation(staff, '/espace/compte').map((item) => `${item.label} ${item.href}`)).toEqual(expected);
  });

  it.each([
    ['a facilitator', facilitator, 'Mes demandes'],
    ['an animator', animator, 'Demandes'],
  ])('names « Mes brouillons laissés » after the requests, for %s who left drafts behind, and only then', (_label, staff, requests) => {
    const labels = (leftDrafts: boolean) =>
      staffNavigation(staff, '/espace/compte', leftDrafts).map((item) => `${item.label} ${item.href}`);
    expect(labels(true).slice(0, 2)).toEqual([`${requests} /espace`, 'Mes brouillons laissés /espace/brouillons']);
    expect(labels(false).filter((label) => label.includes('brouillons'))).toEqual([]);
  });

  it.each([
    ['the queue', animator, '/espace', 'Demandes', 'page'],
    ['the queue, trailing slash', animator, '/espace/', 'Demandes', 'page'],
    ['a request', animator, '/espace/demandes/GV-2026-000001', 'Demandes', 'true'],
    ['a request’s reassignment', animator, '/espace/demandes/GV-2026-000001/reaffectation', 'Demandes', 'true'],
    ['the CSV export', animator, '/espace/export/demandes.csv', 'Demandes', 'true'],
    ['an evaluation', animator, '/espace/evaluations/abc', 'Évaluations', 'true'],
    ['the load page', animator, '/espace/facilitateurs', 'Facilitateurs', 'page'],
    ['a facilitator’s record', animator, '/espace/facilitateurs/f9/fiche', 'Facilitateurs', 'true'],
    ['a new facilitator', admin, '/espace/facilitateurs/nouveau', 'Facilitateurs', 'true'],
    ['one’s own record', facilitator, '/espace/facilitateurs/f1/fiche', 'Ma fiche', 'page'],
    ['one’s absences', facilitator, '/espace/facilitateurs/f1/absences', 'Mes absences', 'page'],
    ['the accounts', admin, '/espace/comptes', 'Comptes', 'page'],
    ['a template being edited', animator, '/espace/modeles/abc', 'Modèles de réponse', 'true'],
    ['a network’s contact address', animator, '/espace/reseaux/aura-ee', 'Réseaux', 'true'],
    ['one’s left drafts', facilitator, '/espace/brouillons', 'Mes brouillons laissés', 'page'],
  ])('marks %s', (_label, staff, path, label, current) => {
    expect(
      staffNavigation(staff, path, true)
        .filter((item) => item.current)
        .map((item) => [item.label, item.current]),
    ).toEqual([[label, current]]);
  });

  it.each([
    ['one’s account', '/espace/compte'],
    ['a page outside the workspace', '/'],
  ])('marks nothing on %s', (_label, path) => {
    expect(staffNavigation(animator, path).filter((item) => item.current)).toEqual([]);
  });
});

describe('asksLeftDrafts: only a facilitator’s page asks whether they left drafts', () => {
  const page = { method: 'GET', path: '/espace', withSession: true };
  it.each([
    ['a facilitator’s page', facilitator, page, true],
    ['a facilitator’s page with a query', facilitator, { ...page, path: '/espace?page=2' }, true],
    ['an animator’s page', animator, page, false],
    ['an admin’s page', admin, page, false],
    ['a facilitator’s autosave (POST)', facilitator, { ...page, method: 'POST', path: '/espace/demandes/GV-1/brouillon' }, false],
    ['a facilitator’s form sent (POST)', facilitator, { ...page, method: 'POST' }, false],
    ['a facilitator’s API call with the session', facilitator, { ...page, path: '/api/v1/staff/requests' }, false],
    ['a facilitator’s API call with a token', facilitator, { ...page, path: '/api/v1/staff/requests', withSession: false }, false],
    ['a token on a page address', facilitator, { ...page, withSession: false }, false],
  ])('%s', (_what, staff, request, asks) => {
    expect(asksLeftDrafts(staff, request)).toBe(asks);
  });
});
