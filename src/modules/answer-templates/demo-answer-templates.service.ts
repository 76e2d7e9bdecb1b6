import { Injectable } from '@nestjs/common';
import { ReferenceService } from '../reference/reference.service';
import type { TemplateInput } from './answer-template.policy';
import { AnswerTemplatesService } from './answer-templates.service';

/** Beginnings of answers as networks write them: the demo's facilitators find them under their answer form. */
const DEMO_TEMPLATES: ReadonlyArray<Omit<TemplateInput, 'networkCode'>> = [
  {
    title: 'Fournitures : part d’achats issus du réemploi (loi AGEC)',
    kind: 'environmental',
    body: [
      'Bonjour,',
      '',
      'Merci pour votre question. L’article 58 de la loi n° 2020-105 du 10 février 2020 (dite AGEC) impose aux achats de l’État et des collectivités une part minimale de produits issus du réemploi, de la réutilisation ou intégrant des matières recyclées ; le décret n° 2024-134 du 21 février 2024 en fixe le taux, catégorie de produits par catégorie, en part de la dépense annuelle de l’acheteur.',
      '',
      'Pour votre achat :',
      '- vérifiez si vos produits figurent à l’annexe du décret, et le taux qui s’y applique ;',
      '- envisagez un lot ou une variante consacrés au réemploi ;',
      '- demandez aux candidats de justifier l’origine des produits (fiches techniques, attestations).',
      '',
      '[À compléter selon votre demande]',
    ].join('\n'),
  },
  {
    title: 'Clause sociale d’insertion : premiers repères',
    kind: 'social_clause',
    body: [
      'Bonjour,',
      '',
      'Merci pour votre question. Une clause d’insertion fait réaliser par le titulaire une part des heures de travail du marché par des personnes éloignées de l’emploi ; elle se place dans les conditions d’exécution (article L2112-2 du code de la commande publique) et peut aussi compter parmi les critères d’attribution.',
      '',
      'Pour la construire :',
      '- estimez le volume d’heures à partir de la main-d’œuvre du marché (souvent 5 à 10 % des heures) ;',
      '- prévoyez les modalités de suivi et les pièces que le titulaire remettra ;',
      '- le facilitateur de clauses sociales de votre territoire peut accompagner les entreprises et suivre l’exécution.',
      '',
      '[À compléter selon votre demande]',
    ].join('\n'),
  },
];

@Injectable()
export class DemoAnswerTemplatesService {
  constructor(
    private readonly templates: AnswerTemplatesService,
    private readonly reference: ReferenceService,
  ) {}

  /** The demo templates in every network, each written once (by network and title): how many were added. */
  async seed(): Promise<number> {
    let created = 0;
    for (const { value: networkCode } of this.reference.networkOptions(null)) {
      for (const template of DEMO_TEMPLATES) {
        if (await this.templates.seedUnlessTitled({ networkCode, ...template })) created++;
      }
    }
    return created;
  }
}
