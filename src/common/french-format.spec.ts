import { Environment } from 'nunjucks';
import { addFrenchFilters, ofPhrase, afterNetworkWord, ofOrganisation, shortened } from './french-format';

const env = addFrenchFilters(new Environment());
const render = (template: string, value: unknown) => env.renderString(template, { value });

describe('French filters', () => {
  it.each([
    ['frDate', '2027-12-20T09:00:00Z', '20 décembre 2027'],
    ['frDateTime', '2027-12-20T09:00:00Z', '20 décembre 2027 à 10:00'],
    ['frDateTime', '2026-07-15T08:30:00Z', '15 juillet 2026 à 10:30'],
    ['frDeadline', '2027-12-20T09:00:00Z', '20 décembre 2027 à 10:00 (heure de Paris)'],
    ['frDeadline', '', ''],
    ['frDate', '2026-10-01T09:00:00Z', '1er octobre 2026'],
    ['frDateTime', '2026-09-30T22:30:00Z', '1er octobre 2026 à 00:30'],
    ['frDate', '2026-10-11T09:00:00Z', '11 octobre 2026'],
    ['frDeadline', '2027-01-01T08:00:00Z', '1er janvier 2027 à 09:00 (heure de Paris)'],
    // A limit at midnight (counting began at the start of a working day) is the end of the day before.
    ['frDeadline', '2026-12-08T23:00:00Z', '8 décembre 2026 au soir (heure de Paris)'],
    ['frDeadline', '2026-06-30T22:00:00Z', '30 juin 2026 au soir (heure de Paris)'],
    ['frDeadline', '2026-12-08T23:01:00Z', '9 décembre 2026 à 00:01 (heure de Paris)'],
    ['frDueDate', '2026-12-08T23:00:00Z', '8 décembre 2026'],
    ['frDueDate', '2026-12-01T23:00:00Z', '1er décembre 2026'],
    ['frDueDate', '2026-12-09T13:00:00Z', '9 décembre 2026'],
    ['frDueDate', '', ''],
    // After days off (counting began on a Saturday, a holiday), the end of the last working day before them.
    ['frDeadline', '2026-12-06T23:00:00Z', '4 décembre 2026 au soir (heure de Paris)'],
    ['frDueDate', '2026-12-27T23:00:00Z', '24 décembre 2026'],
    ['frDeadline', '2026-12-07T08:00:00Z', '7 décembre 2026 à 09:00 (heure de Paris)'],
    ['frLocalDeadline', '2026-12-08T23:00:00Z', '8 décembre 2026 au soir'],
    ['frLocalDeadline', '2026-12-09T13:00:00Z', '9 décembre 2026 à 14:00'],
    ['frDate', '2026-12-08T23:00:00Z', '9 décembre 2026'],
    ['de', 'le modèle', 'du modèle'],
    ['frNumber', 120000, '120\u202f000'],
    ['frNumber', null, ''],
  ])('%s(%j) → %j', (filter, value, expected) => {
    expect(render(`{{ value | ${filter} }}`, value)).toBe(expected);
  });
});

describe('French filters in a département’s time', () => {
  const inDepartment = (template: string, value: string, code: unknown) => env.renderString(template, { value, code });

  it.each([
    ['frDeadline', '974', '20 décembre 2027 à 13:00 (heure de La Réunion)'],
    ['frDeadline', '971', '20 décembre 2027 à 05:00 (heure de la Guadeloupe)'],
    ['frDeadline', '972', '20 décembre 2027 à 05:00 (heure de la Martinique)'],
    ['frDeadline', '973', '20 décembre 2027 à 06:00 (heure de la Guyane)'],
    ['frDeadline', '976', '20 décembre 2027 à 12:00 (heure de Mayotte)'],
    ['frDeadline', '2A', '20 décembre 2027 à 10:00 (heure de Paris)'],
    ['frDeadline', null, '20 décembre 2027 à 10:00 (heure de Paris)'],
    ['frDateTime', '974', '20 décembre 2027 à 13:00'],
    ['frLocalDateTime', '974', '20 décembre 2027 à 13:00 (heure de La Réunion)'],
    ['frLocalDateTime', '38', '20 décembre 2027 à 10:00'],
    ['frLocalDateTime', undefined, '20 décembre 2027 à 10:00'],
    ['frLocalDeadline', '974', '20 décembre 2027 à 13:00 (heure de La Réunion)'],
    ['frDueDate', '974', '20 décembre 2027'],
  ])('%s in %s', (filter, code, expected) => {
    expect(inDepartment(`{{ value | ${filter}(code) }}`, '2027-12-20T09:00:00Z', code)).toBe(expected);
  });

  it('ends a limit at local midnight on the day before, in the département’s time', () => {
    // 22 December 00:00 at La Réunion (20:00 UTC the day before).
    expect(inDepartment('{{ value | frDeadline(code) }}', '2027-12-21T20:00:00Z', '974')).toBe(
      '21 décembre 2027 au soir (heure de La Réunion)',
    );
    expect(inDepartment('{{ value | frDueDate(code) }}', '2027-12-21T20:00:00Z', '974')).toBe('21 décembre 2027');
    // 21 December 00:00 there follows the island's own holiday (Monday 20, abolition of slavery) and a weekend.
    expect(inDepartment('{{ value | frDueDate(code) }}', '2027-12-20T20:00:00Z', '974')).toBe('17 décembre 2027');
    // Monday 29 December 2025 00:00: in Alsace 26 December is off too.
    expect(inDepartment('{{ value | frDueDate(code) }}', '2025-12-28T23:00:00Z', '67')).toBe('24 décembre 2025');
    expect(inDepartment('{{ value | frDueDate(code) }}', '2025-12-28T23:00:00Z', '75')).toBe('26 décembre 2025');
    // The same instant in Paris is 21:00: no midnight there.
    expect(inDepartment('{{ value | frDeadline(code) }}', '2027-12-20T20:00:00Z', '38')).toBe('20 décembre 2027 à 21:00 (heure de Paris)');
  });

  it('writes the local day, which overseas may not be Paris’s', () => {
    expect(inDepartment('{{ value | frDate(code) }}', '2027-12-20T21:30:00Z', '974')).toBe('21 décembre 2027');
    expect(inDepartment('{{ value | frDate(code) }}', '2027-12-20T03:30:00Z', '971')).toBe('19 décembre 2027');
    expect(inDepartment('{{ value | frDate }}', '2027-12-20T21:30:00Z', null)).toBe('20 décembre 2027');
  });
});

describe('stopAfterQuote', () => {
  it.each([
    ['motif interne : congés', '« motif interne : congés ».'],
    ['Finalement Dominique la garde.', '« Finalement Dominique la garde. »'],
    ['Pouvez-vous la reprendre ?', '« Pouvez-vous la reprendre ? »'],
    ['Urgent !', '« Urgent ! »'],
    ['À suivre…', '« À suivre… »'],
    ['Fin. ', '« Fin.  »'],
  ])('a sentence quoting %j ends once', (quoted, expected) => {
    expect(render('« {{ value }} »{{ value | stopAfterQuote }}', quoted)).toBe(expected);
  });
});

describe('ofPhrase', () => {
  it.each([
    ['le modèle', 'du modèle'],
    ['les filtres', 'des filtres'],
    ['la fiche', 'de la fiche'],
    ['l’absence', 'de l’absence'],
    ['votre demande', 'de votre demande'],
    ['Élise Le Gall', 'd’Élise Le Gall'],
    ['Alex Démo', 'd’Alex Démo'],
    ['Yves Martin', 'd’Yves Martin'],
    ['Yvonne Roux', 'd’Yvonne Roux'],
    ['Yann Zidane', 'de Yann Zidane'],
    ['Yannick Le Goff', 'de Yannick Le Goff'],
    ['Yolande Petit', 'de Yolande Petit'],
    ['Hélène Bérard', 'd’Hélène Bérard'],
    ['HÉLÈNE BÉRARD', 'd’HÉLÈNE BÉRARD'],
    ['Henri Faure', 'd’Henri Faure'],
    ['Hugo Roux', 'd’Hugo Roux'],
    ['Hugues Petit', 'de Hugues Petit'],
    ['Haute-Savoie', 'de Haute-Savoie'],
    ['Émile Roux', 'd’Émile Roux'],
    ['Œdipe Roi', 'd’Œdipe Roi'],
    ['Îlot vert', 'd’Îlot vert'],
    ['Ugo Roux', 'd’Ugo Roux'],
    ['Camille Martin', 'de Camille Martin'],
    ['lemon', 'de lemon'],
  ])('%j → %j', (text, expected) => {
    expect(ofPhrase(text)).toBe(expected);
  });
});

describe('ofOrganisation', () => {
  it.each([
    ['Maison de l’emploi de Carcassonne', 'de la Maison de l’emploi de Carcassonne'],
    ['PLIE du Grand Narbonne', 'du PLIE du Grand Narbonne'],
    ['Département de l’Aude', 'du Département de l’Aude'],
    ['Conseil départemental de l’Hérault', 'du Conseil départemental de l’Hérault'],
    ['Communauté d’agglomération Hérault-Méditerranée', 'de la Communauté d’agglomération Hérault-Méditerranée'],
    ['Grand Narbonne', 'du Grand Narbonne'],
    ['Agence d’attractivité', 'de l’Agence d’attractivité'],
    ['Établissement public territorial', 'de l’Établissement public territorial'],
    ['EPCI Sud Vendée', 'de l’EPCI Sud Vendée'],
    ['La Mission locale jeunes', 'de la Mission locale jeunes'],
    ['Le Pays de Lunel', 'du Pays de Lunel'],
    ['L’Union des entreprises', 'de l’Union des entreprises'],
    ['Les Ateliers de la Baie', 'des Ateliers de la Baie'],
    ['France Travail', 'de France Travail'],
    ['Emploi 11', 'd’Emploi 11'],
    ['Hôpital de Narbonne', 'de l’Hôpital de Narbonne'],
    ['Services de l’État', 'des Services de l’État'],
    ['Ateliers de la Baie', 'des Ateliers de la Baie'],
  ])('%j → %j', (name, expected) => {
    expect(ofOrganisation(name)).toBe(expected);
  });
});

describe('afterNetworkWord', () => {
  it.each([
    ['RESECO', 'RESECO'],
    ['Réseau Grand Est', 'Grand Est'],
    ['Réseau de La Réunion', 'de La Réunion'],
    ['Réseau national', 'national'],
    ['AURA-EE / RREDD', 'AURA-EE / RREDD'],
  ])('« du réseau … » for %j', (name, expected) => {
    expect(afterNetworkWord(name)).toBe(expected);
    expect(render('du réseau {{ value | afterNetworkWord }}', name)).toBe(`du réseau ${expected}`);
  });
});

describe('shortened', () => {
  it.each([
    ['Fournitures de bureau écoresponsables', 'Fournitures de bureau écoresponsables'],
    ['  Papier\n recyclé  ', 'Papier recyclé'],
    [
      'Fournitures de bureau écoresponsables pour les écoles et les services techniques de la commune',
      'Fournitures de bureau écoresponsables pour les…',
    ],
    ['Critères sociaux, environnementaux et clauses d’insertion du marché', 'Critères sociaux, environnementaux et clauses…'],
    ['Marché de restauration collective : critères, produits durables et bio', 'Marché de restauration collective : critères…'],
    ['Approvisionnement-écoresponsable-des-restaurants-scolaires du département', 'Approvisionnement-écoresponsable-des-restaurants-s…'],
    // Characters, not UTF-16 units: the emoji at the cut is kept whole or left out, never halved.
    [`${'é'.repeat(49)}🌱🌱 suite`, `${'é'.repeat(49)}🌱…`],
  ])('%j → %j', (text, expected) => {
    expect(shortened(text)).toBe(expected);
    expect(render('{{ value | shortened }}', text)).toBe(expected);
  });
});
