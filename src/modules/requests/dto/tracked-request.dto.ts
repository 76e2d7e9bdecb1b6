import { ApiProperty } from '@nestjs/swagger';
import { HELP_ITEM_TYPES, BUYER_VISIBLE_KINDS, REFERRAL_TARGETS } from '../request-message.types';
import { PURCHASE_STAGES, REQUEST_KINDS, REQUEST_STATUSES, type RequestKind } from '../request.types';
import { NEXT_STEP_KINDS } from '../next-step.policy';
import { REQUEST_EVENT_TYPES } from '../../workspace/history-labels';

/**
 * What the buyer's private link shows, and nothing more (no internal notes, no staff identities): the body of
 * GET /api/v1/requests/<reference> and of the buyer's actions, documented field by field.
 */
export class TrackedLegalReferenceDto {
  @ApiProperty({ example: 'Code de la commande publique, article L. 2111-1' })
  label!: string;

  @ApiProperty({ example: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037730683' })
  url!: string;
}

/** A file as every reader sees it; the buyer's and the staff's views add how to reach it. */
export class FileDto {
  @ApiProperty({ example: 'guide-achats-durables.pdf' })
  fileName!: string;

  @ApiProperty({ example: 'application/pdf' })
  mediaType!: string;

  @ApiProperty({ description: 'Taille en octets', example: 482113 })
  size!: number;
}

export class TrackedFileDto extends FileDto {
  @ApiProperty({ description: 'Chemin de téléchargement pour un navigateur, avec le jeton de suivi en paramètre t' })
  downloadPath!: string;

  @ApiProperty({
    description: 'Chemin de téléchargement pour un programme, avec le jeton de suivi dans l’en-tête X-Tracking-Token',
    example: '/api/v1/requests/GV-2026-000123/files/3f1c…',
  })
  apiDownloadPath!: string;
}

export class TrackedPeerDto {
  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  organisation!: string | null;

  @ApiProperty({ type: String, nullable: true })
  contact!: string | null;
}

/** One help item of an answer, as the buyer reads it. */
export class TrackedHelpItemDto {
  @ApiProperty({ enum: HELP_ITEM_TYPES })
  type!: string;

  @ApiProperty({ example: 'Guide ou document' })
  typeLabel!: string;

  @ApiProperty({ type: String, nullable: true })
  title!: string | null;

  @ApiProperty({ type: String, nullable: true })
  url!: string | null;

  @ApiProperty({ type: TrackedLegalReferenceDto, nullable: true })
  legalReference!: TrackedLegalReferenceDto | null;

  @ApiProperty({ type: TrackedFileDto, nullable: true })
  file!: TrackedFileDto | null;

  @ApiProperty({ type: TrackedPeerDto, nullable: true, description: 'Mise en relation avec un acheteur pair' })
  peer!: TrackedPeerDto | null;

  @ApiProperty({ type: String, nullable: true, enum: REFERRAL_TARGETS, description: 'Orientation vers une autre structure' })
  referral!: string | null;

  @ApiProperty({ type: String, nullable: true })
  details!: string | null;
}

export class TrackedMessageDto {
  @ApiProperty({ enum: BUYER_VISIBLE_KINDS })
  kind!: string;

  @ApiProperty({ example: 'Réponse' })
  kindLabel!: string;

  @ApiProperty({ description: 'Écrit par l’acheteur (sinon par l’équipe du guichet)' })
  fromBuyer!: boolean;

  @ApiProperty({
    example: 'Dominique, du réseau RESECO',
    description:
      'Qui a écrit, tel que l’acheteur le lit : « Vous », le facilitateur par son prénom et son réseau, ou l’équipe d’animation du réseau',
  })
  author!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: [TrackedHelpItemDto], description: 'Les aides typées d’une réponse' })
  items!: TrackedHelpItemDto[];

  @ApiProperty({ type: [TrackedFileDto], description: 'Les fichiers joints à la réponse qu’aucune aide ne nomme' })
  files!: TrackedFileDto[];
}

/** What the buyer may do now; the reply window's end when a reply is possible, or why it is not. */
export class BuyerActionsDto {
  @ApiProperty({ description: 'Apporter la précision demandée' })
  clarify!: boolean;

  @ApiProperty({ description: 'Répondre à la réponse (rouvre la demande)' })
  reply!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'Fin du délai pour apporter la précision demandée : sans elle, la demande est alors clôturée',
  })
  clarifyUntil!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Fin du délai pour répondre' })
  replyUntil!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Pourquoi répondre n’est plus possible' })
  replyRefusal!: string | null;

  @ApiProperty({ description: 'Ajouter une information oubliée, tant que rien n’est demandé et qu’aucune réponse n’est venue' })
  addInformation!: boolean;

  @ApiProperty({ description: 'Indiquer que la réponse a résolu la question (clôture la demande avec le motif « Réponse apportée »)' })
  resolve!: boolean;

  @ApiProperty({ description: 'Retirer la demande (jusqu’à la réponse ; ensuite, la dire résolue ou la laisser se clôturer)' })
  withdraw!: boolean;
}

export class TrackedEventDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    enum: REQUEST_EVENT_TYPES,
    example: 'assigned',
    description: 'Les événements publics seulement : d’autres sont réservés à l’équipe',
  })
  type!: string;

  @ApiProperty({ example: 'Confiée à un facilitateur' })
  label!: string;

  @ApiProperty({ type: String, nullable: true, enum: REQUEST_STATUSES })
  toStatus!: string | null;
}

export class TrackedFacilitatorDto {
  @ApiProperty({ description: 'Prénom seulement', example: 'Alex' })
  firstName!: string;

  @ApiProperty({ description: 'Réseau du facilitateur', example: 'AURA-EE / RREDD' })
  network!: string;

  @ApiProperty({
    enum: REQUEST_KINDS,
    description: 'Conseiller environnemental du réseau, ou facilitateur des clauses sociales du territoire de l’achat',
  })
  kind!: RequestKind;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Structure qui l’emploie ; null : le réseau',
    example: 'PLIE du Grand Narbonne',
  })
  organisation!: string | null;

  @ApiProperty({
    description: 'Ce que la page de suivi écrit après son prénom : sa structure, sinon son rôle ou son réseau',
    example: 'de la Maison de l’emploi de Carcassonne',
  })
  affiliation!: string;

  @ApiProperty({
    description: 'Vrai s’il a pris la demande en charge ; faux si elle lui est seulement confiée (ou l’était avant son retrait)',
  })
  tookCharge!: boolean;
}

export class NextStepDto {
  @ApiProperty({
    enum: NEXT_STEP_KINDS,
    description:
      'assignment : en attente qu’un facilitateur se libère (réserve du réseau) ; take_charge : prise en charge ; answer : réponse écrite',
  })
  kind!: (typeof NEXT_STEP_KINDS)[number];

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description:
      'Échéance, quand un délai court ; comme les pages l’écrivent : un délai qui finit après des jours chômés finit avec le dernier jour ouvré (« 18 décembre au soir » : 2026-12-18T23:00:00Z, non le lundi 00:00)',
  })
  expectedBy!: string | null;

  @ApiProperty({
    description: 'Vrai quand l’échéance est passée : le guichet le dit à l’acheteur plutôt que de lui donner une date passée',
  })
  late!: boolean;
}

export class LatestAnswerDto {
  @ApiProperty({ description: 'Son rang dans conversation, à partir de 1 ; la page de suivi l’ancre en #reponse' })
  position!: number;

  @ApiProperty({ example: 'La réponse d’Alix est arrivée' })
  announcement!: string;

  @ApiProperty({
    description:
      'Vrai tant qu’elle est la dernière nouvelle : l’acheteur n’a rien envoyé ni fait depuis, et aucune précision ne lui est demandée',
  })
  news!: boolean;
}

export class TrackedRequestDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: REQUEST_STATUSES })
  status!: string;

  @ApiProperty({ example: 'Reçue' })
  statusLabel!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Réponse apportée' })
  closeReasonLabel!: string | null;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: string;

  @ApiProperty({ example: 'Considérations environnementales' })
  kindLabel!: string;

  @ApiProperty({ example: 'office_supplies' })
  segment!: string;

  @ApiProperty({ example: 'Fournitures de bureau' })
  segmentLabel!: string;

  @ApiProperty({ example: '38' })
  departmentCode!: string;

  @ApiProperty({ example: 'Isère' })
  departmentName!: string;

  @ApiProperty({ enum: PURCHASE_STAGES })
  purchaseStage!: string;

  @ApiProperty({ example: 'Définition du besoin' })
  purchaseStageLabel!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Montant estimé en euros hors taxes, tel que donné' })
  estimatedAmount!: number | null;

  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'Date souhaitée de réponse, telle que donnée' })
  neededBy!: string | null;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  question!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'GV-2026-000053',
    description:
      'La demande dont celle-ci a été détachée par le facilitateur (une question par demande) ; sa question est alors reformulée par lui',
  })
  splitFrom!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'GV-2026-000041',
    description: 'La demande précédente sur le même achat, dont celle-ci est la suite (le choix de l’acheteur en la déposant)',
  })
  followsUp!: string | null;

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;

  @ApiProperty({ type: [TrackedEventDto], description: 'Historique public, du plus ancien au plus récent' })
  history!: TrackedEventDto[];

  @ApiProperty({ type: TrackedFacilitatorDto, nullable: true, description: 'Une fois la demande confiée' })
  facilitator!: TrackedFacilitatorDto | null;

  @ApiProperty({
    type: NextStepDto,
    nullable: true,
    description: 'Ce que l’acheteur attend du guichet, et pour quand ; null quand rien n’en est attendu',
  })
  nextStep!: NextStepDto | null;

  @ApiProperty({ type: [TrackedMessageDto], description: 'Échanges visibles de l’acheteur' })
  conversation!: TrackedMessageDto[];

  @ApiProperty({ type: LatestAnswerDto, nullable: true, description: 'La dernière réponse (ou son complément) ; null avant la première' })
  latestAnswer!: LatestAnswerDto | null;

  @ApiProperty({ type: BuyerActionsDto })
  actions!: BuyerActionsDto;
}
