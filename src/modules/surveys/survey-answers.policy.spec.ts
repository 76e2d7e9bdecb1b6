import { AnswerContext, checkAnswers, earliestContractDay, EMPTY_ANSWERS, impactQuestionsOf, SurveyAnswers } from './survey-answers.policy';

const TODAY = '2026-12-05';
/** An environmental request of a public buyer, received in January: the survey asks everything. */
const ON = { today: TODAY, notBefore: '2026-01-15', questions: { environmental: true, publicProcurement: true } };
/** A social-clause request's survey: its social considerations only. */
const SOCIAL: AnswerContext = { ...ON, questions: { environmental: false, publicProcurement: true } };
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
    expect(checkAnswers('satisfaction', { usefulness: 'partly', quickEnough: 'no', comment: '  Bien.\r\nMerci ' }, ON)).toEqual({
      ok: true,
      answers: { ...EMPTY_ANSWERS, usefulness: 'partly', quickEnough: false, comment: 'Bien.\nMerci', reuseConsent: false },
    });
    expect(checkAnswers('satisfaction', { usefulness: 'yes', quickEnough: 'yes', reuseConsent: 'yes' }, ON)).toMatchObject({
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
    expect(checkAnswers('impact', IMPACT, ON)).toEqual({ ok: true, answers: expected });
  });

  it('a purchase not yet made needs no date nor considerations; no consent means false', () => {
    const result = checkAnswers('impact', { contractOutcome: 'not_yet', wouldUseAgain: 'no', obstacles: ['cost', 'legal_risk'] }, ON);
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

  it.each([
    ['environmental', 'local_authority', { environmental: true, publicProcurement: true }],
    ['environmental', 'private_subject', { environmental: true, publicProcurement: true }],
    ['social_clause', 'hospital', { environmental: false, publicProcurement: true }],
    ['social_clause', 'private_not_subject', { environmental: false, publicProcurement: false }],
  ] as const)('a %s request of a %s buyer asks %j', (kind, organisationType, questions) => {
    expect(impactQuestionsOf({ kind, organisationType })).toEqual(questions);
  });

  const socialSurvey: Array<[string, Record<string, unknown>, Partial<SurveyAnswers> | string[]]> = [
    ['saves the social part alone', { ...IMPACT, environmentalConsiderations: [] }, { socialConsiderations: ['social_clause'] }],
    // A form of before, or an API client, sending the block anyway: not asked, not kept.
    ['ignores an environmental block sent anyway', IMPACT, { environmentalConsiderations: [] }],
    [
      'ignores even an unknown environmental code',
      { ...IMPACT, environmentalConsiderations: 'bribe' },
      { environmentalConsiderations: [] },
    ],
    ['requires the social considerations of a contract', { ...IMPACT, socialConsiderations: [] }, ['socialConsiderations']],
    [
      'says an award criterion can only be social there',
      { ...IMPACT, levers: ['award_criterion'], insertionHours: '', socialConsiderations: 'none' },
      ['socialConsiderations'],
    ],
  ];
  it.each(socialSurvey)('a social-clause survey %s', (_label, body, expected) => {
    const result = checkAnswers('impact', body, SOCIAL);
    if (Array.isArray(expected)) expect(!result.ok && result.errors.map((e) => e.field)).toEqual(expected);
    else expect(result.ok && result.answers).toEqual(expect.objectContaining(expected));
  });

  it('the walk-through case: « Clause d’insertion » and 1 800 hours, nothing environmental, saves on a social-clause request only', () => {
    const body = {
      contractOutcome: 'yes',
      contractDate: '2026-12-01',
      levers: 'insertion_clause',
      insertionHours: '1 800',
      socialConsiderations: 'social_clause',
      wouldUseAgain: 'yes',
    };
    expect(checkAnswers('impact', body, SOCIAL)).toMatchObject({
      ok: true,
      answers: { insertionHours: 1800, environmentalConsiderations: [] },
    });
    expect(checkAnswers('impact', body, ON)).toMatchObject({
      ok: false,
      errors: [
        {
          field: 'environmentalConsiderations',
          message: 'Indiquez les considérations environnementales du marché, ou « Pas de considération ».',
        },
      ],
    });
    const refused = checkAnswers(
      'impact',
      { ...body, levers: ['award_criterion'], awardCriterionWeight: '20', insertionHours: '', socialConsiderations: 'none' },
      SOCIAL,
    );
    expect(!refused.ok && refused.errors[0].message).toBe(
      'Vous avez coché le levier « Critère d’attribution » : cochez « Critère social », ou décochez ce levier.',
    );
  });

  it.each([
    ['the day before the request', '2026-01-14', false],
    ['the day the request was received', '2026-01-15', true],
  ])('a contract dated %s is %s', (_label, contractDate, ok) => {
    const result = checkAnswers('impact', { ...IMPACT, contractDate }, ON);
    expect(result.ok).toBe(ok);
    if (!result.ok)
      expect(result.errors).toEqual([
        {
          field: 'contractDate',
          message:
            'La date de publication ou de notification ne peut pas précéder votre demande, reçue par le guichet vert le 15 janvier 2026.',
        },
      ]);
  });

  it('speaks of the contract of a company outside the code in the form’s words', () => {
    const outside: AnswerContext = { ...SOCIAL, questions: { environmental: false, publicProcurement: false } };
    const missing = checkAnswers('impact', { ...IMPACT, contractDate: '', socialConsiderations: '' }, outside);
    expect(!missing.ok && missing.errors.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        'Indiquez la date de lancement ou de signature.',
        'Indiquez les considérations sociales de votre marché ou contrat, ou « Pas de considération ».',
      ]),
    );
  });

  it('takes any date before today once the buyer came with a consultation already published (earliestContractDay null)', () => {
    expect(checkAnswers('impact', { ...IMPACT, contractDate: '2025-06-01' }, { ...ON, notBefore: null }).ok).toBe(true);
  });

  it.each<[Parameters<typeof earliestContractDay>[0], string | null]>([
    ['need_definition', '2026-01-15'],
    ['sourcing', '2026-01-15'],
    ['drafting_tender', '2026-01-15'],
    // Published, or signed, before the buyer asked: its date is theirs to give.
    ['consultation_published', null],
    ['bid_analysis', null],
    ['contract_execution', null],
  ])('a request at stage %s: no contract dated before %s', (stage, earliest) => {
    expect(earliestContractDay(stage, '2026-01-15')).toBe(earliest);
    // Split off another request on that day: the buyer asked before it.
    expect(earliestContractDay(stage, '2026-01-15', true)).toBeNull();
  });

  const refusals: Array<[string, 'satisfaction' | 'impact', Record<string, unknown>, string[]]> = [
    ['nothing chosen (satisfaction)', 'satisfaction', {}, ['usefulness', 'quickEnough']],
    ['an unknown usefulness', 'satisfaction', { usefulness: 'maybe', quickEnough: 'yes' }, ['usefulness']],
    ['a comment too long', 'satisfaction', { usefulness: 'yes', quickEnough: 'yes', comment: 'x'.repeat(3001) }, ['comment']],
    ['nothing chosen (impact)', 'impact', {}, ['contractOutcome', 'wouldUseAgain']],
    ['a contract without date', 'impact', { ...IMPACT, contractDate: '' }, ['contractDate']],
    ['an impossible date', 'impact', { ...IMPACT, contractDate: '2026-02-30' }, ['contractDate']],
    ['a date after today', 'impact', { ...IMPACT, contractDate: '2026-12-06' }, ['contractDate']],
    ['a date before the request was received', 'impact', { ...IMPACT, contractDate: '15/01/2025' }, ['contractDate']],
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
    const result = checkAnswers(wave, body, ON);
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
    const result = checkAnswers('impact', { ...IMPACT, ...typed }, ON);
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
      const result = checkAnswers('impact', { ...IMPACT, contractOutcome, contractDate: '2030-01-01' }, ON);
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
    expect(checkAnswers('impact', body, ON).ok).toBe(true);
    const refused = checkAnswers('impact', { ...IMPACT, socialConsiderations: 'none' }, ON);
    expect(!refused.ok && refused.errors[0].message).toBe(
      'Vous avez coché le levier « Clause d’insertion » : cochez « Clause sociale », ou décochez ce levier.',
    );
  });

  it.each(['12,5', '12.5', '0', '120', ''])('a weight of « %s » is refused with the rule: a whole number from 1 to 100', (weight) => {
    const refused = checkAnswers('impact', { ...IMPACT, awardCriterionWeight: weight }, ON);
    expect(!refused.ok && refused.errors).toEqual([
      {
        field: 'awardCriterionWeight',
        message: 'Indiquez le poids du critère en pourcentage : un nombre entier de 1 à 100, sans décimale.',
      },
    ]);
  });

  it('a weight or hours typed without their lever are refused, never dropped; left empty they are no answer', () => {
    const result = checkAnswers('impact', { ...IMPACT, levers: ['label'], awardCriterionWeight: '20 %', insertionHours: 'y' }, ON);
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
    const empty = checkAnswers('impact', { ...IMPACT, levers: ['label'], awardCriterionWeight: ' ', insertionHours: '' }, ON);
    expect(empty.ok && [empty.answers.awardCriterionWeight, empty.answers.insertionHours]).toEqual([null, null]);
  });

  const keptCases: Array<[string, 'satisfaction' | 'impact', Record<string, unknown>, Partial<SurveyAnswers> | null]> = [
    [
      'the walk-through case keeps all but the missing date and reuse answer',
      'impact',
      { ...IMPACT, contractDate: '', wouldUseAgain: '', contractAmount: '2 400 000' },
      {
        contractOutcome: 'yes',
        contractDate: null,
        levers: ['label', 'award_criterion', 'insertion_clause'],
        contractAmount: '2400000',
        wouldUseAgain: null,
        comment: 'Merci.',
      },
    ],
    [
      'keeps no wrong answer',
      'impact',
      { ...IMPACT, contractAmount: 'beaucoup', awardCriterionWeight: '120' },
      { contractAmount: null, awardCriterionWeight: null, insertionHours: 350 },
    ],
    [
      'keeps a comment within its limit only',
      'satisfaction',
      { usefulness: 'yes', comment: 'x'.repeat(3001) },
      { usefulness: 'yes', comment: null },
    ],
    ['keeps nothing from an empty form', 'impact', {}, null],
    ['keeps nothing from an unticked consent alone', 'satisfaction', { reuseConsent: '' }, null],
  ];
  it.each(keptCases)('a refused form %s', (_label, wave, body, kept) => {
    const refused = checkAnswers(wave, body, ON);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.kept).toEqual(kept && expect.objectContaining(kept));
  });
});
