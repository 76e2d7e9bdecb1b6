import { Injectable } from '@nestjs/common';
import { sha256 } from '../../common/tokens';
import type { OrganisationType, PurchaseStage, RequestKind } from '../requests/request.types';
import { IntakeService } from './intake.service';
import { RequestValidator } from './request-validator';

interface DemoScenario {
  departmentCode: string;
  kind: RequestKind;
  segment: string;
  organisationName: string;
  organisationType: OrganisationType;
  purchaseStage: PurchaseStage;
  estimatedAmount: number;
  subject: string;
  question: string;
}

/** One question per network (the département says which), as buyers ask them, in both kinds. */
const SCENARIOS: readonly DemoScenario[] = [
  {
    departmentCode: '35',
    kind: 'environmental',
    segment: 'catering',
    organisationName: 'Commune de Démoville-sur-Vilaine',
    organisationType: 'local_authority',
    purchaseStage: 'drafting_tender',
    estimatedAmount: 450000,
    subject: 'Restauration scolaire : produits durables et loi EGAlim',
    question:
      'Nous renouvelons le marché de fourniture de denrées pour nos trois cantines scolaires. Comment rédiger les lots et les critères ' +
      'pour atteindre 50 % de produits durables dont 20 % issus de l’agriculture biologique, sans exclure les producteurs locaux ?',
  },
  {
    departmentCode: '33',
    kind: 'environmental',
    segment: 'construction',
    organisationName: 'Communauté de communes Démo-Médoc',
    organisationType: 'local_authority',
    purchaseStage: 'need_definition',
    estimatedAmount: 2_800_000,
    subject: 'Rénovation d’un gymnase : matériaux biosourcés',
    question:
      'Nous lançons la rénovation énergétique d’un gymnase des années 1980. Le programme peut-il imposer une part de matériaux ' +
      'biosourcés pour l’isolation, et comment le vérifier à la réception des travaux sans alourdir le suivi du chantier ?',
  },
  {
    departmentCode: '14',
    kind: 'social_clause',
    segment: 'green_spaces',
    organisationName: 'Démo Habitat Calvados',
    organisationType: 'social_housing',
    purchaseStage: 'drafting_tender',
    estimatedAmount: 300000,
    subject: 'Entretien des espaces verts : clause d’insertion',
    question:
      'Notre office veut inclure une clause d’insertion dans le marché d’entretien des espaces verts de ses résidences. ' +
      'Quel volume d’heures d’insertion est raisonnable pour un marché de trois ans et qui peut suivre son exécution ?',
  },
  {
    departmentCode: '93',
    kind: 'environmental',
    segment: 'it_equipment',
    organisationName: 'Établissement public territorial Démo-Est',
    organisationType: 'local_authority',
    purchaseStage: 'sourcing',
    estimatedAmount: 600000,
    subject: 'Ordinateurs portables reconditionnés',
    question:
      'Nous souhaitons acheter une partie de nos ordinateurs portables reconditionnés, comme le demande la loi AGEC. ' +
      'Comment sonder le marché des reconditionneurs et quelles garanties exiger sur la batterie et la durée de support ?',
  },
  {
    departmentCode: '59',
    kind: 'environmental',
    segment: 'furniture',
    organisationName: 'Centre hospitalier de Démo-Flandre',
    organisationType: 'hospital',
    purchaseStage: 'consultation_published',
    estimatedAmount: 180000,
    subject: 'Mobilier de bureau issu du réemploi',
    question:
      'Notre consultation de mobilier de bureau est publiée et un candidat demande si du mobilier de réemploi est accepté. ' +
      'Pouvons-nous le préciser par un avis rectificatif, et comment comparer ensuite des offres neuves et de réemploi ?',
  },
  {
    departmentCode: '38',
    kind: 'environmental',
    segment: 'office_supplies',
    organisationName: 'Département de Démo-Isère',
    organisationType: 'local_authority',
    purchaseStage: 'need_definition',
    estimatedAmount: 120000,
    subject: 'Fournitures de bureau et loi AGEC',
    question:
      'Nous préparons un marché de fournitures de bureau et souhaitons intégrer les obligations de la loi AGEC sur les produits ' +
      'issus du réemploi ou intégrant des matières recyclées. Quels pourcentages appliquer et comment les vérifier dans les offres ?',
  },
  {
    departmentCode: '13',
    kind: 'social_clause',
    segment: 'cleaning',
    organisationName: 'Ville de Démo-sur-Mer',
    organisationType: 'local_authority',
    purchaseStage: 'need_definition',
    estimatedAmount: 900000,
    subject: 'Nettoyage des bâtiments : marché réservé',
    question:
      'Nous envisageons de réserver un lot du marché de nettoyage de nos bâtiments administratifs à des structures d’insertion. ' +
      'Quelles structures peuvent répondre sur notre territoire et comment découper les lots pour qu’elles puissent candidater ?',
  },
  {
    departmentCode: '31',
    kind: 'environmental',
    segment: 'vehicles',
    organisationName: 'Syndicat mixte Démo-Garonne',
    organisationType: 'other_public',
    purchaseStage: 'bid_analysis',
    estimatedAmount: 750000,
    subject: 'Véhicules utilitaires à faibles émissions',
    question:
      'Nous analysons les offres d’un marché de véhicules utilitaires électriques. Comment noter le coût du cycle de vie ' +
      'annoncé par les candidats et tenir compte des émissions liées à la fabrication des batteries dans le critère environnemental ?',
  },
  {
    departmentCode: '21',
    kind: 'environmental',
    segment: 'electricity',
    organisationName: 'Université de Démo-Bourgogne',
    organisationType: 'state_public_body',
    purchaseStage: 'drafting_tender',
    estimatedAmount: 3_500_000,
    subject: 'Électricité d’origine renouvelable',
    question:
      'Notre référent achats responsables nous renvoie vers vous pour notre marché de fourniture d’électricité. ' +
      'Comment exiger une électricité d’origine renouvelable au-delà des garanties d’origine et que demander aux fournisseurs ?',
  },
  {
    departmentCode: '974',
    kind: 'environmental',
    segment: 'waste',
    organisationName: 'Commune de Démo-les-Hauts',
    organisationType: 'local_authority',
    purchaseStage: 'contract_execution',
    estimatedAmount: 1_200_000,
    subject: 'Collecte des déchets : suivi des objectifs de tri',
    question:
      'Notre marché de collecte des déchets fixe des objectifs de tri que le titulaire ne renseigne pas. En cours d’exécution, ' +
      'quels indicateurs lui demander chaque trimestre et comment appliquer les pénalités prévues sans conflit ?',
  },
  {
    departmentCode: '67',
    kind: 'social_clause',
    segment: 'construction',
    organisationName: 'Eurométropole de Démo-Rhin',
    organisationType: 'local_authority',
    purchaseStage: 'drafting_tender',
    estimatedAmount: 8_000_000,
    subject: 'Construction d’une école : heures d’insertion',
    question:
      'Nous rédigeons le dossier de consultation pour la construction d’une école en douze lots. Comment répartir les heures ' +
      'd’insertion entre les lots selon leur part de main-d’œuvre et quelle clause type reprendre dans le cahier des charges ?',
  },
  {
    departmentCode: '2A',
    kind: 'environmental',
    segment: 'workwear',
    organisationName: 'Collectivité de Démo-Corse',
    organisationType: 'local_authority',
    purchaseStage: 'sourcing',
    estimatedAmount: 90000,
    subject: 'Vêtements de travail durables',
    question:
      'Nous achetons les vêtements de travail de nos agents techniques. Quels labels demander pour les fibres et les conditions ' +
      'de fabrication, et existe-t-il des fournisseurs capables de reprendre et recycler les vêtements usagés ?',
  },
];

const BUYER_FIRST_NAMES = ['Claire', 'Yann', 'Inès', 'Mathis', 'Léa', 'Hugo'];

export interface DemoRequest {
  reference: string;
  trackingUrl: string;
  departmentCode: string;
  kind: RequestKind;
  subject: string;
  created: boolean;
}

/**
 * Demo requests (buyers at example.org), submitted through the form's own validation and intake so
 * that they are routed like any other once the service runs. Each has a repeat-protection key of its own:
 * a second run creates none and gives the first run's references and links.
 */
@Injectable()
export class DemoRequestsService {
  constructor(
    private readonly validator: RequestValidator,
    private readonly intake: IntakeService,
  ) {}

  async seed(): Promise<DemoRequest[]> {
    const seeded: DemoRequest[] = [];
    for (const [index, scenario] of SCENARIOS.entries()) {
      const firstName = BUYER_FIRST_NAMES[index % BUYER_FIRST_NAMES.length];
      const dto = await this.validator.validate({
        buyer: {
          firstName,
          lastName: 'Démo',
          email: `demo.acheteur${index + 1}@example.org`,
          organisationName: scenario.organisationName,
          organisationType: scenario.organisationType,
        },
        departmentCode: scenario.departmentCode,
        kind: scenario.kind,
        segment: scenario.segment,
        subject: scenario.subject,
        question: scenario.question,
        purchaseStage: scenario.purchaseStage,
        estimatedAmount: scenario.estimatedAmount,
        ...(scenario.organisationType === 'state_public_body' ? { internalReferentConsulted: true } : {}),
        consent: true,
      });
      // The key follows the scenario's text: an edited scenario is a new request, never a refused repeat.
      const version = sha256(JSON.stringify(scenario)).toString('hex').slice(0, 16);
      const result = await this.intake.submit(dto, { scope: 'demo', key: `demo-request-${index + 1}-${version}` });
      seeded.push({
        reference: result.reference,
        trackingUrl: result.trackingUrl,
        departmentCode: scenario.departmentCode,
        kind: scenario.kind,
        subject: scenario.subject,
        created: !result.replayed,
      });
    }
    return seeded;
  }
}
