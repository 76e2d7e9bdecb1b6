/**
 * A complete, valid submission: the OpenAPI example, and the base of every test and benchmark
 * body. `n` makes each one distinct (e-mail and subject) where many are sent.
 */
export function exampleRequestBody(n = 0, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const suffix = n ? `+${n}` : '';
  return {
    buyer: {
      firstName: 'Camille',
      lastName: 'Martin',
      email: `camille.martin${suffix}@example.fr`,
      phone: '+33 4 76 00 00 00',
      organisationName: 'Département de l’Isère',
      organisationType: 'local_authority',
      siret: '22380001400019',
    },
    departmentCode: '38',
    kind: 'environmental',
    segment: 'office_supplies',
    subject: n ? `Fournitures de bureau et loi AGEC ${n}` : 'Fournitures de bureau et loi AGEC',
    question:
      'Nous préparons un marché de fournitures de bureau et souhaitons savoir comment intégrer les obligations de la loi AGEC ' +
      'sur les produits issus du réemploi ou intégrant des matières recyclées. Quels pourcentages appliquer et comment les vérifier ?',
    purchaseStage: 'need_definition',
    estimatedAmount: 120000,
    neededBy: `${new Date().getUTCFullYear() + 1}-03-01`,
    consent: true,
    ...overrides,
  };
}
