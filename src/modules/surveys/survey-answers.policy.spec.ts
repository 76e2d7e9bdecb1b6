import { checkAnswers, EMPTY_ANSWERS, SurveyAnswers } from './survey-answers.policy';

const TODAY = '2026-12-05';
const IMPACT = {
  contractOutcome: 'yes',
  contractDate: '2026-04-02',
  contractReference: ' 2026-TRV-12 ',
  levers: ['label', 'award_criterion', 'insertion_clause'],
  awardCriterionWeight: '20',
  insertionHours: '350',
  themes: 'carbon',
  environmentalConsiderations: ['environmental_criterion'],
  socialConsiderations: 'social_clause',
  contractAmount: '120 000 €',
  obstacles: [],
  wouldUseAgain: 'yes',
  comment: 'Merci.',
  reuseConsent: 'yes',
};

describe('survey answers', () => {
  it('keeps a full satisfaction answer, the other wave empty, and asks for consent to quote it too', () => {
    expect(checkAnswers('satisfaction', { usefulness: 'partly', quickEnough: 'no', comment: '  Bien.\r\nMerci ' }, TODAY)).toEqual({
      ok: true,
      answers: { ...EMPTY_ANSWERS, usefulness: 'partly', quickEnough: false, comment: 'Bien.\nMerci', reuseConsent: false },
    });
    expect(checkAnswers('satisfaction', { usefulness: 'yes', quickEnough: 'yes', reuseConsent: 'yes' }, TODAY)).toMatchObject({
      answers: { reuseConsent: true },
    });
  });

  it('keeps a full impact answer, lists in the vocabulary order, figures as numbers', () => {
    const expected: SurveyAnswers = {
      ...EMPTY_ANSWERS,
      contractOutcome: 'yes',
      contractDate: '2026-04-02',
      contractReference: '2026-TRV-12',
      levers: ['label', 'award_criterion', 'insertion_clause'],
      awardCriterionWeight: 20,
      insertionHours: 350,
      themes: ['carbon'],
      environmentalConsiderations: ['environmental_criterion'],
      socialConsiderations: ['social_clause'],
      contractAmount: '120000',
      obstacles: [],
      wouldUseAgain: true,
      comment: 'Merci.',
      reuseConsent: true,
    };
    expect(checkAnswers('impact', IMPACT, TODAY)).toEqual({ ok: true, answers: expected });
  });

  it('a purchase not yet made needs no date nor considerations; no consent means false', () => {
    const result = checkAnswers('impact', { contractOutcome: 'not_yet', wouldUseAgain: 'no', obstacles: ['cost', 'legal_risk'] }, TODAY);
    expect(result).toEqual({
      ok: true,
      answers: {
        ...EMPTY_ANSWERS,
        contractOutcome: 'not_yet',
        wouldUseAgain: false,
        obstacles: ['cost', 'legal_risk'],
        reuseConsent: false,
      },
    });
  });

  const refusals: Array<[string, 'satisfaction' | 'impact', Record<string, unknown>, string[]]> = [
    ['nothing chosen (satisfaction)', 'satisfaction', {}, ['usefulness', 'quickEnough']],
    ['an unknown usefulness', 'satisfaction', { usefulness: 'maybe', quickEnough: 'yes' }, ['usefulness']],
    ['a comment too long', 'satisfaction', { usefulness: 'yes', quickEnough: 'yes', comment: 'x'.repeat(3001) }, ['comment']],
    ['nothing chosen (impact)', 'impact', {}, ['contractOutcome', 'wouldUseAgain']],
    ['a contract without date', 'impact', { ...IMPACT, contractDate: '' }, ['contractDate']],
    ['an impossible date', 'impact', { ...IMPACT, contractDate: '2026-02-30' }, ['contractDate']],
    ['a date after today', 'impact', { ...IMPACT, contractDate: '2026-12-06' }, ['contractDate']],
    ['an award criterion without weight', 'impact', { ...IMPACT, awardCriterionWeight: '' }, ['awardCriterionWeight']],
    ['a weight over 100', 'impact', { ...IMPACT, awardCriterionWeight: '120' }, ['awardCriterionWeight']],
    ['insertion hours not a number', 'impact', { ...IMPACT, insertionHours: '12,5' }, ['insertionHours']],
    ['an unknown lever', 'impact', { ...IMPACT, levers: ['label', 'bribe'] }, ['levers']],
    ['a weight typed, its lever unticked', 'impact', { ...IMPACT, levers: ['label', 'insertion_clause'] }, ['awardCriterionWeight']],
    ['insertion hours typed, their lever unticked', 'impact', { ...IMPACT, levers: ['label', 'award_criterion'] }, ['insertionHours']],
    ['"none" with a clause', 'impact', { ...IMPACT, socialConsiderations: ['none', 'social_clause'] }, ['socialConsiderations']],
    ['a contract without considerations', 'impact', { ...IMPACT, environmentalConsiderations: [] }, ['environmentalConsiderations']],
    [
      'an insertion clause in a contract said to have no social consideration',
      'impact',
      { ...IMPACT, socialConsiderations: 'none' },
      ['socialConsiderations'],
    ],
    [
      'a reserved contract with no social consideration',
      'impact',
      { ...IMPACT, levers: ['reserved_contract'], awardCriterionWeight: '', insertionHours: '', socialConsiderations: 'none' },
      ['socialConsiderations'],
    ],
    [
      'an award criterion in a contract with neither environmental nor social consideration',
      'impact',
      { ...IMPACT, levers: ['award_criterion'], insertionHours: '', environmentalConsiderations: 'none', socialConsiderations: 'none' },
      ['environmentalConsiderations'],
    ],
    ['an amount in words', 'impact', { ...IMPACT, contractAmount: 'cent mille' }, ['contractAmount']],
    ['a negative amount', 'impact', { ...IMPACT, contractAmount: '-80 000' }, ['contractAmount']],
    ['a reference too long', 'impact', { ...IMPACT, contractReference: 'R'.repeat(101) }, ['contractReference']],
  ];
  it.each(refusals)('refuses %s', (_label, wave, body, fields) => {
    const result = checkAnswers(wave, body, TODAY);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.field)).toEqual(fields);
      for (const error of result.errors) expect(error.message).toMatch(/^[A-ZÉ«]/);
    }
  });

  it.each([
    [
      { awardCriterionWeight: '20 %', insertionHours: '1 500 h', contractAmount: '250 000 €', contractDate: '01/03/2026' },
      [20, 1500, '250000', '2026-03-01'],
    ],
    [
      { awardCriterionWeight: '15%', insertionHours: '350\u00a0H', contractAmount: '80\u202f000', contractDate: '2026-03-01' },
      [15, 350, '80000', '2026-03-01'],
    ],
    [
      { awardCriterionWeight: '20', insertionHours: '1500', contractAmount: '1.250.000,00 €', contractDate: '01/03/2026' },
      [20, 1500, '1250000', '2026-03-01'],
    ],
  ])('reads numbers and dates as people type them: %j', (typed, expected) => {
    const result = checkAnswers('impact', { ...IMPACT, ...typed }, TODAY);
    expect(
      result.ok && [
        result.answers.awardCriterionWeight,
        result.answers.insertionHours,
        result.answers.contractAmount,
        result.answers.contractDate,
      ],
    ).toEqual(expected);
  });

  it('a date typed before choosing « Pas encore » or « Abandonné » is not kept, whatever it is', () => {
    for (const contractOutcome of ['not_yet', 'abandoned']) {
      const result = checkAnswers('impact', { ...IMPACT, contractOutcome, contractDate: '2030-01-01' }, TODAY);
      expect(result.ok && [result.answers.contractOutcome, result.answers.contractDate]).toEqual([contractOutcome, null]);
    }
  });

  it('a lever agrees with the considerations that do not deny it: an award criterion on social grounds alone', () => {
    const body = {
      ...IMPACT,
      levers: ['award_criterion'],
      insertionHours: '',
      environmentalConsiderations: 'none',
      socialConsiderations: 'social_criterion',
    };
    expect(checkAnswers('impact', body, TODAY).ok).toBe(true);
    const refused = checkAnswers('impact', { ...IMPACT, socialConsiderations: 'none' }, TODAY);
    expect(!refused.ok && refused.errors[0].message).toBe(
      'Vous avez coché le levier « Clause d’insertion » : cochez « Clause sociale », ou décochez ce levier.',
    );
  });

  it.each(['12,5', '12.5', '0', '120', ''])('a weight of « %s » is refused with the rule: a whole number from 1 to 100', (weight) => {
    const refused = checkAnswers('impact', { ...IMPACT, awardCriterionWeight: weight }, TODAY);
    expect(!refused.ok && refused.errors).toEqual([
      {
        field: 'awardCriterionWeight',
        message: 'Indiquez le poids du critère en pourcentage : un nombre entier de 1 à 100, sans décimale.',
      },
    ]);
  });

  it('a weight or hours typed without their lever are refused, never dropped; left empty they are no answer', () => {
    const result = checkAnswers('impact', { ...IMPACT, levers: ['label'], awardCriterionWeight: '20 %', insertionHours: 'y' }, TODAY);
    expect(!result.ok && result.errors).toEqual([
      {
        field: 'awardCriterionWeight',
        message: 'Vous avez indiqué ce nombre sans cocher le levier « Critère d’attribution » : cochez-le, ou effacez ce nombre.',
      },
      {
        field: 'insertionHours',
        message: 'Vous avez indiqué ce nombre sans cocher le levier « Clause d’insertion » : cochez-le, ou effacez ce nombre.',
      },
    ]);
    const empty = checkAnswers('impact', { ...IMPACT, levers: ['label'], awardCriterionWeight: ' ', insertionHours: '' }, TODAY);
    expect(empty.ok && [empty.answers.awardCriterionWeight, empty.answers.insertionHours]).toEqual([null, null]);
  });
});
