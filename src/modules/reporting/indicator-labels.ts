/**
 * The names of the desk's figures, one table for the animators' dashboard, its CSV export and the public statistics,
 * so that a report quoting the file names each figure as the screen does.
 */
export const FIGURE_LABELS = {
  received: 'Demandes reçues',
  takeChargeMedianDays: 'Délai médian de prise en charge',
  answerMedianDays: 'Délai médian de réponse',
  takenWithin2Days: 'Prises en charge en 2 jours ouvrés ou moins',
  takenWithin5Days: 'Prises en charge en 5 jours ouvrés ou moins',
  answeredOnTime: 'Premières réponses données dans leur délai',
  deadlineMisses: 'Demandes ayant dépassé un délai de prise en charge',
  deadlineMissShare: 'Part des demandes ayant dépassé un délai de prise en charge',
  surveysSent: 'Envoyés',
  responseRate: 'Taux de réponse',
  surveysDeclined: 'Refusés par l’acheteur',
  surveyAnswers: 'Réponses',
  contracts: 'Marchés suivis',
  environmental: 'Avec au moins une considération environnementale',
  social: 'Avec au moins une considération sociale',
  pnadTarget: 'Cible du PNAD',
  environmentalTarget: 'Cible du PNAD — au moins une considération environnementale',
  socialTarget: 'Cible du PNAD — au moins une considération sociale',
  insertionHours: 'Heures d’insertion prévues (clauses d’insertion)',
} as const;
