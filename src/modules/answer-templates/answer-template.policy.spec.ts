import {
  checkTemplate,
  ConditionRefusal,
  conditionRefusal,
  deletionVersion,
  etagOf,
  formCondition,
  orAsRead,
  passageToComplete,
  SaveCondition,
  saveCondition,
  templateFate,
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
  const said = (version: number | null, ifMatch: number[] | null = null) => ({ ifMatch, version });
  const unreadable = (field: string) => ({ error: { field, message: expect.any(String) } });
  it.each<[string, unknown, string | undefined, object]>([
    ['the edit form’s hidden field', '3', undefined, said(3)],
    ['the API’s number', 12, undefined, said(12)],
    ['an If-Match ETag', undefined, '"7"', said(null, [7])],
    ['the ETag the API gives', undefined, etagOf(4), said(null, [4])],
    ['a list of ETags: any of them', undefined, '"3", "4"', said(null, [3, 4])],
    ['a weak ETag never matches (strong comparison)', undefined, 'W/"7"', said(null, [])],
    ['an ETag not ours matches nothing', undefined, '"abc", W/"2", "5"', said(null, [5])],
    ['If-Match and the field naming the same version: both kept', 4, '"4"', said(4, [4])],
    ['the field among the listed ETags', 4, '"3", "4"', said(4, [3, 4])],
    ['If-Match and the field naming two versions: both kept, for conditionRefusal', 12, '"4"', said(12, [4])],
    ['any version by If-Match, the field decides', 5, '*', said(5)],
    ['nothing said: an older client', undefined, undefined, said(null)],
    ['an empty field', '', undefined, said(null)],
    ['any version, as HTTP writes it', undefined, '*', said(null)],
    ['a version that cannot be', '0', undefined, unreadable('version')],
    ['not a number', 'trois', undefined, unreadable('version')],
    ['a fraction', 2.5, undefined, unreadable('version')],
    ['an ETag in the field', '"3"', undefined, unreadable('version')],
    ['an If-Match that is no ETag', undefined, 'deux', unreadable('If-Match')],
    ['an ETag without its quotes', undefined, '5', unreadable('If-Match')],
    ['the header read before the field', 'trois', '5', unreadable('If-Match')],
  ])('%s', (_label, version, header, expected) => {
    expect(saveCondition(version, header)).toEqual(expected);
  });

  it('refuses an unreadable version on the field it was said in (a deletion’s address)', () => {
    expect(saveCondition('trois', undefined, '?version')).toEqual(unreadable('?version'));
  });

  it('says how an ETag is written', () => {
    expect(saveCondition(undefined, '5')).toMatchObject({
      error: { message: expect.stringContaining('entre guillemets droits (par exemple "5")') },
    });
  });
});

describe('formCondition: a page’s hidden version', () => {
  it.each<[string, unknown, object]>([
    ['as the page read it', '3', { ifMatch: null, version: 3 }],
    ['none (an older page): any version', undefined, { ifMatch: null, version: null }],
    ['tampered with: stale, never an error to correct', 'trois', { ifMatch: null, version: 0 }],
  ])('%s', (_label, version, expected) => {
    expect(formCondition(version)).toEqual(expected);
  });
});

describe('deletionVersion: by the body or the address, never two that differ', () => {
  it.each<[string, number | undefined, unknown, unknown, string, string[]]>([
    ['none', undefined, undefined, undefined, 'version', []],
    ['by the body', 3, undefined, 3, 'version', []],
    ['by the address', undefined, '3', '3', '?version', []],
    ['by the address, unreadable: refused there', undefined, 'trois', 'trois', '?version', []],
    ['by the address, empty: none', 3, '', 3, 'version', []],
    ['both, the same', 3, ' 3 ', 3, 'version', []],
    ['both, different', 3, '4', null, 'version', ['version', '?version']],
    ['both, the address unreadable', 3, 'trois', null, 'version', ['version', '?version']],
  ])('%s', (_label, inBody, inQuery, version, field, fields) => {
    const said = deletionVersion(inBody, inQuery);
    expect(said.version).toEqual(version);
    expect(said.field).toBe(field);
    expect(said.errors.map((e) => e.field)).toEqual(fields);
  });
});

describe('orAsRead', () => {
  it.each<[string, Parameters<typeof orAsRead>[0], object]>([
    ['nothing said: the version this request read', { ifMatch: null, version: null }, { ifMatch: null, version: 5 }],
    ['a version said stays', { ifMatch: null, version: 3 }, { ifMatch: null, version: 3 }],
    ['an If-Match stays', { ifMatch: [3, 4], version: null }, { ifMatch: [3, 4], version: null }],
    ['unreadable stays unreadable', { error: { field: 'version', message: 'x' } }, { error: { field: 'version', message: 'x' } }],
  ])('%s', (_label, condition, expected) => {
    expect(orAsRead(condition, 5)).toEqual(expected);
  });
});

describe('conditionRefusal: If-Match first (412), then the version (409); the two disagreeing, 412', () => {
  it.each<[string, SaveCondition, number, ConditionRefusal | null]>([
    ['the version read, still current', { ifMatch: null, version: 3 }, 3, null],
    ['the version read, changed since', { ifMatch: null, version: 3 }, 4, 'stale_version'],
    ['nothing said', { ifMatch: null, version: null }, 4, null],
    ['an If-Match still current', { ifMatch: [3], version: null }, 3, null],
    ['a stale If-Match', { ifMatch: [3], version: null }, 4, 'stale_if_match'],
    ['a stale If-Match with the current version: the header decides', { ifMatch: [3], version: 4 }, 4, 'stale_if_match'],
    ['a current If-Match with a stale version it does not list: they disagree', { ifMatch: [4], version: 3 }, 4, 'versions_differ'],
    ['a current If-Match listing the stale version too: the version is stale', { ifMatch: [3, 4], version: 3 }, 4, 'stale_version'],
    ['both naming the current version', { ifMatch: [4], version: 4 }, 4, null],
    ['no strong ETag at all', { ifMatch: [], version: null }, 4, 'stale_if_match'],
    ['a tampered page version', formCondition('trois'), 1, 'stale_version'],
  ])('%s', (_label, condition, current, expected) => {
    expect(conditionRefusal(condition, current)).toBe(expected);
  });
});

describe('templateJournalLine: what the network’s journal says, never the text', () => {
  const names: Record<string, string> = { 'aura-ee': 'AURA-EE', reseco: 'RESECO' };
  const before: TemplateInput = { networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte secret', kind: null };
  it.each<[string, TemplateInput | null, TemplateInput | null, string | null]>([
    ['created', null, before, 'Modèle de réponse créé : « Loi AGEC » (AURA-EE)'],
    ['deleted', before, null, 'Modèle de réponse supprimé : « Loi AGEC » (AURA-EE)'],
    ['its text changed', before, { ...before, body: 'Autre texte' }, 'Modèle de réponse modifié : « Loi AGEC » (AURA-EE) — texte'],
    [
      'renamed, moved and kept for one kind',
      before,
      { ...before, title: 'Loi AGEC : réemploi', networkCode: 'reseco', kind: 'environmental' },
      'Modèle de réponse modifié : « Loi AGEC : réemploi » (RESECO) — titre, auparavant « Loi AGEC » ; réseau, de AURA-EE à RESECO ; demandes, de « Les deux types » à « Considérations environnementales »',
    ],
    ['saved as it was: no line (nothing is written)', before, { ...before }, null],
  ])('%s', (_label, was, is, line) => {
    expect(templateJournalLine(was, is, (code) => names[code])).toBe(line);
    expect(line ?? '').not.toContain('Texte secret');
  });
});

describe('templateFate: what a person no longer seeing a template is told of it', () => {
  it.each([
    ['deleted in their networks', false, 'template_deleted', 'deleted'],
    ['moved out of their networks, by a change there', true, 'template_updated', 'moved'],
    ['moved out of their networks, made there', true, 'template_created', 'moved'],
    ['moved away, then deleted in a network not theirs', false, 'template_updated', 'gone'],
    ['made in their networks, then gone with no line they may read', false, 'template_created', 'gone'],
    ['in a network never theirs: not named', true, null, 'gone'],
    ['never made, not a template, or past the journal’s keeping', false, null, 'gone'],
  ] as const)('%s', (_label, stillExists, latestLine, fate) => {
    expect(templateFate(stillExists, latestLine)).toBe(fate);
  });
});
