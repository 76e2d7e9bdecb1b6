import {
  checkTemplate,
  etagOf,
  orAsRead,
  passageToComplete,
  saveCondition,
  templateJournalLine,
  TemplateInput,
  withTemplate,
} from './answer-template.policy';

const valid = { networkCode: 'aura-ee', title: 'Loi AGEC : taux de réemploi', body: 'Les taux minimaux sont fixés par le décret…' };

describe('checkTemplate', () => {
  it.each([
    ['a valid template', valid, ['aura-ee'], []],
    ['any network, for an admin', { ...valid, networkCode: 'reseco' }, null, []],
    ['a network the animator does not run', { ...valid, networkCode: 'reseco' }, ['aura-ee'], ['networkCode']],
    ['no network', { ...valid, networkCode: '' }, null, ['networkCode']],
    ['a blank title and text', { ...valid, title: '  ', body: '\r\n' }, ['aura-ee'], ['title', 'body']],
    ['a title over 120 characters', { ...valid, title: 'x'.repeat(121) }, ['aura-ee'], ['title']],
    ['a title on two lines', { ...valid, title: 'AGEC\nréemploi' }, ['aura-ee'], ['title']],
    ['a text over 10 000 characters', { ...valid, body: 'x'.repeat(10_001) }, ['aura-ee'], ['body']],
    ['numbers instead of text', { networkCode: 'aura-ee', title: 42, body: 7 }, ['aura-ee'], ['title', 'body']],
    ['one kind of request', { ...valid, kind: 'social_clause' }, ['aura-ee'], []],
    ['both kinds, from the form’s empty choice', { ...valid, kind: '' }, ['aura-ee'], []],
    ['both kinds, from the API’s null', { ...valid, kind: null }, ['aura-ee'], []],
    ['a kind that does not exist', { ...valid, kind: 'social' }, ['aura-ee'], ['kind']],
  ] as const)('%s', (_label, raw, networks, fields) => {
    expect(checkTemplate(raw, networks).errors.map((e) => e.field)).toEqual(fields);
  });

  it('keeps the text as stored elsewhere: trimmed, line breaks in one form', () => {
    expect(checkTemplate({ ...valid, title: ' AGEC ', body: ' Ligne 1\r\nLigne 2 ' }, null).value).toEqual({
      networkCode: 'aura-ee',
      title: 'AGEC',
      body: 'Ligne 1\nLigne 2',
      kind: null,
    });
    expect(checkTemplate({ ...valid, kind: ' environmental ' }, null).value.kind).toBe('environmental');
  });
});

describe('passageToComplete', () => {
  it.each([
    ['the demo templates’ mark', 'Bonjour,\n\n[À compléter selon votre demande]\n', '[À compléter selon votre demande]'],
    ['without the accent, any case', 'Le taux est de [a COMPLETER] %.', '[a COMPLETER]'],
    ['with spaces inside the brackets', 'Voir [ à compléter : article ].', '[ à compléter : article ]'],
    ['the first of several', '[À compléter : lot] puis [À compléter : taux]', '[À compléter : lot]'],
    ['an answer written through', 'Le décret n° 2024-134 fixe les taux.', null],
    ['other brackets', 'Selon le guide [1], à compléter par vos propres mesures [sic].', null],
    ['a bracket never closed on its line', '[À compléter\nsuite]', null],
  ] as const)('%s', (_label, text, expected) => {
    expect(passageToComplete(text)).toBe(expected);
  });
});

describe('withTemplate', () => {
  it.each<[string, unknown, string]>([
    ['an empty answer: the template alone', '', 'Bonjour,\nle modèle.'],
    ['nothing sent: the template alone', undefined, 'Bonjour,\nle modèle.'],
    ['blank typed: the template alone', ' \r\n ', 'Bonjour,\nle modèle.'],
    [
      'typed text kept first, a blank line between',
      'Ma réponse,\r\ndéjà écrite.\r\n\r\n',
      'Ma réponse,\ndéjà écrite.\n\nBonjour,\nle modèle.',
    ],
    ['indentation typed first kept', '  - un point', '  - un point\n\nBonjour,\nle modèle.'],
  ])('%s', (_label, typed, expected) => {
    expect(withTemplate(typed, 'Bonjour,\nle modèle.')).toBe(expected);
  });
});

describe('saveCondition', () => {
  const seen = (version: number) => ({ versions: [version], refusal: 'conflict' });
  const ifMatch = (...versions: number[]) => ({ versions, refusal: 'precondition_failed' });
  it.each<[string, unknown, string | undefined, object | undefined]>([
    ['the edit form’s hidden field', '3', undefined, seen(3)],
    ['the API’s number', 12, undefined, seen(12)],
    ['the field before the header', 12, '"4"', seen(12)],
    ['an If-Match ETag', undefined, '"7"', ifMatch(7)],
    ['the ETag the API gives', undefined, etagOf(4), ifMatch(4)],
    ['a list of ETags: any of them', undefined, '"3", "4"', ifMatch(3, 4)],
    ['a weak ETag never matches (strong comparison)', undefined, 'W/"7"', ifMatch()],
    ['an ETag not ours matches nothing', undefined, '"abc", W/"2", "5"', ifMatch(5)],
    ['nothing said: an older client, the save overwrites', undefined, undefined, { versions: null, refusal: 'conflict' }],
    ['an empty field', '', undefined, { versions: null, refusal: 'conflict' }],
    ['any version, as HTTP writes it', undefined, '*', { versions: null, refusal: 'conflict' }],
    ['a version that cannot be', '0', undefined, undefined],
    ['not a number', 'trois', undefined, undefined],
    ['a fraction', 2.5, undefined, undefined],
    ['an If-Match that is no ETag', undefined, 'deux', undefined],
    ['an ETag in the field', '"3"', undefined, undefined],
  ])('%s', (_label, version, header, expected) => {
    expect(saveCondition(version, header)).toEqual(expected);
  });
});

describe('orAsRead', () => {
  it.each<[string, Parameters<typeof orAsRead>[0], object | undefined]>([
    ['nothing said: the version this request read', { versions: null, refusal: 'conflict' }, { versions: [5], refusal: 'conflict' }],
    ['a version said stays', { versions: [3], refusal: 'conflict' }, { versions: [3], refusal: 'conflict' }],
    ['an If-Match stays', { versions: [3, 4], refusal: 'precondition_failed' }, { versions: [3, 4], refusal: 'precondition_failed' }],
    ['unreadable stays unreadable', undefined, undefined],
  ])('%s', (_label, condition, expected) => {
    expect(orAsRead(condition, 5)).toEqual(expected);
  });
});

describe('templateJournalLine: what the network’s journal says, never the text', () => {
  const names: Record<string, string> = { 'aura-ee': 'AURA-EE', reseco: 'RESECO' };
  const before: TemplateInput = { networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte secret', kind: null };
  it.each<[string, TemplateInput | null, TemplateInput | null, string]>([
    ['created', null, before, 'Modèle de réponse créé : « Loi AGEC » (AURA-EE)'],
    ['deleted', before, null, 'Modèle de réponse supprimé : « Loi AGEC » (AURA-EE)'],
    ['its text changed', before, { ...before, body: 'Autre texte' }, 'Modèle de réponse modifié : « Loi AGEC » (AURA-EE) — texte'],
    [
      'renamed, moved and kept for one kind',
      before,
      { ...before, title: 'Loi AGEC : réemploi', networkCode: 'reseco', kind: 'environmental' },
      'Modèle de réponse modifié : « Loi AGEC : réemploi » (RESECO) — titre, auparavant « Loi AGEC » ; réseau, de AURA-EE à RESECO ; demandes, de « Les deux types » à « Considérations environnementales »',
    ],
    ['saved as it was', before, before, 'Modèle de réponse modifié : « Loi AGEC » (AURA-EE) — enregistré sans changement'],
  ])('%s', (_label, was, is, line) => {
    expect(templateJournalLine(was, is, (code) => names[code])).toBe(line);
    expect(line).not.toContain('Texte secret');
  });
});
