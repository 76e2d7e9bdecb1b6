import { ApiProperty } from '@nestjs/swagger';
import { FileDto, TrackedLegalReferenceDto } from '../../requests/dto/tracked-request.dto';
import { HELP_ITEM_TYPES, MESSAGE_KINDS, REFERRAL_TARGETS } from '../../requests/request-message.types';
import { CLOSE_REASONS, ORGANISATION_TYPES, PURCHASE_STAGES, REQUEST_KINDS, REQUEST_STATUSES } from '../../requests/request.types';
import { ASSIGNMENT_END_LABELS, REQUEST_EVENT_TYPES } from '../history-labels';
import { ESCALATION_MISSES } from '../../routing/escalation.policy';

export const DEADLINE_MISSES_DESCRIPTION = 'Délais de prise en charge dépassés, tous facilitateurs confondus';
export const ESCALATED_DESCRIPTION = `Délai de prise en charge dépassé ${ESCALATION_MISSES} fois ou plus, et toujours pas prise en charge (filtre escalated)`;

/** A request as staff read it through the JSON API (GET /api/v1/staff/requests/{reference}), for OpenAPI. */
const nullableInstant = (description: string) => ({ type: String, format: 'date-time', nullable: true, description });
const nullableText = (description?: string) => ({ type: String, nullable: true, description });

export class StaffRequestDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: REQUEST_STATUSES })
  status!: string;

  @ApiProperty({ type: String, enum: CLOSE_REASONS, nullable: true })
  closeReason!: string | null;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: string;

  @ApiProperty({ example: 'aura-ee' })
  networkCode!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Le facilitateur qui suit la demande' })
  assignedFacilitatorId!: string | null;

  @ApiProperty(nullableText('Son nom'))
  facilitatorName!: string | null;

  @ApiProperty({ description: 'Le compte de ce facilitateur est désactivé (parti) : la demande est à confier à un autre' })
  holderDeparted!: boolean;

  @ApiProperty({ description: 'Vide une fois les données personnelles effacées, comme les cinq champs suivants' })
  buyerFirstName!: string;

  @ApiProperty()
  buyerLastName!: string;

  @ApiProperty()
  buyerEmail!: string;

  @ApiProperty(nullableText())
  buyerPhone!: string | null;

  @ApiProperty()
  organisationName!: string;

  @ApiProperty({ enum: ORGANISATION_TYPES })
  organisationType!: string;

  @ApiProperty(nullableText('14 chiffres'))
  siret!: string | null;

  @ApiProperty({ example: '38' })
  departmentCode!: string;

  @ApiProperty({ example: 'office_supplies' })
  segmentCode!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  question!: string;

  @ApiProperty({ enum: PURCHASE_STAGES })
  purchaseStage!: string;

  @ApiProperty({ type: String, nullable: true, example: '120000', description: 'Euros HT, en entier écrit en chiffres' })
  estimatedAmount!: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Réponse souhaitée pour ce jour' })
  neededBy!: string | null;

  @ApiProperty({ description: DEADLINE_MISSES_DESCRIPTION })
  deadlineMisses!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty(nullableInstant('Clôture'))
  closedAt!: Date | null;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Acheteur de l’État : a d’abord consulté son référent achats responsables (null pour les autres acheteurs)',
  })
  internalReferentConsulted!: boolean | null;

  @ApiProperty(nullableInstant('Première réponse (gardée si l’acheteur a fait rouvrir la demande)'))
  answeredAt!: Date | null;

  @ApiProperty(nullableInstant('Effacement des données personnelles'))
  anonymisedAt!: Date | null;

  @ApiProperty(nullableInstant('Prise en charge attendue avant'))
  takeChargeDueAt!: Date | null;

  @ApiProperty(nullableInstant('Prise en charge (la reprise, après une réouverture)'))
  takenAt!: Date | null;

  @ApiProperty(nullableInstant('Première prise en charge par le facilitateur qui la suit'))
  firstTakenAt!: Date | null;

  @ApiProperty(nullableInstant('Dernière réponse (une réponse de l’acheteur en a amené une autre)'))
  lastAnsweredAt!: Date | null;
}

export class RequestDeadlinesDto {
  @ApiProperty(nullableInstant('Prise en charge attendue avant'))
  takeChargeDueAt!: Date | null;

  @ApiProperty(nullableInstant('Réponse attendue avant (jours ouvrés, hors temps d’attente de l’acheteur)'))
  answerDueAt!: Date | null;

  @ApiProperty({ description: 'Délai de réponse suspendu : en attente de la précision de l’acheteur' })
  paused!: boolean;

  @ApiProperty({ description: 'L’échéance qui s’applique maintenant est dépassée' })
  late!: boolean;

  @ApiProperty({ description: ESCALATED_DESCRIPTION })
  escalated!: boolean;

  @ApiProperty(
    nullableInstant('En attente de l’acheteur (précision demandée, ou réponse envoyée) : clôture automatique sans nouvelle de sa part'),
  )
  closesAt!: Date | null;
}

export class HistoryEventDto {
  @ApiProperty({ type: String, enum: REQUEST_STATUSES, nullable: true })
  fromStatus!: string | null;

  @ApiProperty({ type: String, enum: REQUEST_STATUSES, nullable: true })
  toStatus!: string | null;

  @ApiProperty({ enum: REQUEST_EVENT_TYPES, example: 'taken_in_charge' })
  type!: string;

  @ApiProperty({ enum: ['buyer', 'staff', 'system'] })
  actorType!: string;

  @ApiProperty(nullableText('Motif, en clair ou en code'))
  reason!: string | null;

  @ApiProperty({ description: 'Montré à l’acheteur sur sa page de suivi' })
  isPublic!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty(nullableText('Le membre du personnel qui a agi'))
  actorName!: string | null;

  @ApiProperty(nullableText('Le facilitateur à qui la demande a été attribuée, sur les événements qui la lui donnent'))
  assigneeName!: string | null;
}

export class StaffFileDto extends FileDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
}

/** A help item as stored: the fields its type uses are set, the others null. */
export class StaffHelpItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Rang dans la réponse, à partir de 0' })
  position!: number;

  @ApiProperty({ enum: HELP_ITEM_TYPES })
  type!: string;

  @ApiProperty(nullableText())
  title!: string | null;

  @ApiProperty(nullableText())
  url!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  attachmentId!: string | null;

  @ApiProperty(nullableText())
  legalReferenceCode!: string | null;

  @ApiProperty(nullableText())
  peerName!: string | null;

  @ApiProperty(nullableText())
  peerOrganisation!: string | null;

  @ApiProperty(nullableText())
  peerContact!: string | null;

  @ApiProperty({ type: Boolean, nullable: true })
  peerConsent!: boolean | null;

  @ApiProperty({ type: String, enum: REFERRAL_TARGETS, nullable: true })
  referralTarget!: string | null;

  @ApiProperty(nullableText())
  details!: string | null;

  @ApiProperty({ type: TrackedLegalReferenceDto, nullable: true })
  legalReference!: TrackedLegalReferenceDto | null;

  @ApiProperty({ type: StaffFileDto, nullable: true })
  attachment!: StaffFileDto | null;
}

export class StaffMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: MESSAGE_KINDS })
  kind!: string;

  @ApiProperty({ enum: ['buyer', 'staff'] })
  authorType!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  authorId!: string | null;

  @ApiProperty({ description: 'Texte ; celui du personnel en Markdown simple' })
  body!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: [StaffHelpItemDto], description: 'Éléments d’aide d’une réponse' })
  items!: StaffHelpItemDto[];

  @ApiProperty(nullableText('Le membre du personnel qui l’a écrit'))
  authorName!: string | null;
}

export class StaffAttachmentDto extends StaffFileDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Le message qui le porte' })
  messageId!: string | null;

  @ApiProperty({ enum: ['buyer', 'staff'] })
  uploadedByType!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class SameBuyerRequestDto {
  @ApiProperty({ example: 'GV-2026-000098' })
  reference!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ enum: REQUEST_STATUSES })
  status!: string;

  @ApiProperty({ type: String, enum: CLOSE_REASONS, nullable: true, description: 'Motif de clôture (null : ouverte)' })
  closeReason!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Dominique Bernard', description: 'Qui la suit, ou la suivait à sa clôture' })
  facilitatorName!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ example: '974', description: 'Code INSEE de son département, dont l’heure date la demande' })
  departmentCode!: string;
}

export class SimilarRequestDto {
  @ApiProperty({ example: 'GV-2026-000042' })
  reference!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ example: 'office_supplies' })
  segmentCode!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  answeredAt!: Date;

  @ApiProperty({ example: '974', description: 'Code INSEE de son département, dont l’heure date la réponse' })
  departmentCode!: string;

  @ApiProperty(nullableText('Qui la suivait à sa réponse'))
  facilitatorName!: string | null;
}

/** What this reader may do now: each action's endpoint refuses otherwise. */
export class PermittedActionsDto {
  @ApiProperty()
  takeCharge!: boolean;

  @ApiProperty()
  decline!: boolean;

  @ApiProperty({ description: 'Rendre la demande prise en charge, avant sa réponse (action `decline` avec une note)' })
  giveBack!: boolean;

  @ApiProperty()
  clarify!: boolean;

  @ApiProperty()
  answer!: boolean;

  @ApiProperty({ enum: CLOSE_REASONS, isArray: true, description: 'Motifs de clôture possibles ; vide : pas de clôture' })
  closeReasons!: string[];

  @ApiProperty()
  note!: boolean;

  @ApiProperty()
  transfer!: boolean;

  @ApiProperty()
  split!: boolean;

  @ApiProperty()
  reassign!: boolean;

  @ApiProperty()
  takeFromPool!: boolean;

  @ApiProperty({ description: 'Effacer les données personnelles de l’acheteur (demande clôturée)' })
  erase!: boolean;

  @ApiProperty({ description: 'Rouvrir une clôture faite par erreur (sauf retrait par l’acheteur)' })
  reopen!: boolean;

  @ApiProperty({
    description:
      'Corriger les coordonnées de l’acheteur (POST …/buyer-contact) : le facilitateur qui suit la demande, son réseau, tant qu’elles ne sont pas effacées',
  })
  correctBuyer!: boolean;

  @ApiProperty({
    description:
      'Noter que l’acheteur ne veut plus de questionnaires (POST …/refuse-surveys) : le facilitateur qui suit la demande, son réseau, tant que ses données ne sont pas effacées et que ce n’est pas déjà noté',
  })
  refuseSurveys!: boolean;

  @ApiProperty({
    description:
      'Noter que l’acheteur accepte de nouveau les questionnaires (POST …/accept-surveys) : les mêmes personnes, quand son adresse les a refusés',
  })
  acceptSurveys!: boolean;
}

export class SurveysRefusalDto {
  @ApiProperty({
    enum: ['buyer', 'staff'],
    description: 'Qui l’a noté : l’acheteur depuis un questionnaire (`buyer`), ou l’équipe à sa demande (`staff`)',
  })
  source!: 'buyer' | 'staff';

  @ApiProperty({ type: String, format: 'date-time' })
  recordedAt!: Date;
}

export class AssignmentPeriodDto {
  @ApiProperty({ example: 'Camille Martin' })
  facilitatorName!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  assignedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  takenAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null : le facilitateur la tient encore' })
  endedAt!: Date | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: Object.keys(ASSIGNMENT_END_LABELS),
  })
  endReason!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Au coordinateur régional : les facilitateurs de clauses sociales du département sont tous absents',
    description: 'Pourquoi l’attribution automatique la lui a confiée, quand elle le dit (coordinateur régional en secours) ; null sinon',
  })
  routedWhy!: string | null;
}

export class UndeliveredMailDto {
  @ApiProperty({ example: 'Votre demande GV-2026-000123 « Fournitures de bureau » est bien reçue — Guichet vert' })
  subject!: string;

  @ApiProperty({ type: String, nullable: true, description: 'La réponse du serveur de messagerie (adresses masquées)' })
  reason!: string | null;

  @ApiProperty({ description: 'Quand l’envoi a été abandonné' })
  at!: Date;
}

export class ColleagueDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Alix Martin' })
  name!: string;

  @ApiProperty({ description: 'Demandes en cours' })
  openCount!: number;

  @ApiProperty()
  capacity!: number;
}

/** Why a request of the pool waits (routing's waiting-reason.policy), in staff's words. */
export class WaitingReasonDto {
  @ApiProperty({
    description: 'Pourquoi elle attend, et quoi faire',
    example:
      'Aucun facilitateur ne couvre ce département pour les clauses sociales (aucun actif qui reçoit des demandes) : elle ne sortira pas seule de la réserve. …',
  })
  text!: string;

  @ApiProperty({
    description: 'Vrai : elle ne sera pas attribuée d’elle-même (personne ne couvre son territoire, ou tous l’ont déjà laissée)',
  })
  stuck!: boolean;
}

/** A request about the same purchase, linked by the buyer as a follow-up. */
export class LinkedRequestDto {
  @ApiProperty({ example: 'GV-2026-000041' })
  reference!: string;

  @ApiProperty({ description: 'Vrai quand vous pouvez consulter cette demande ; sinon, seule sa référence est donnée' })
  visible!: boolean;
}

export class StaffRequestPageDto {
  @ApiProperty({ type: StaffRequestDto })
  request!: StaffRequestDto;

  @ApiProperty({ type: RequestDeadlinesDto })
  deadlines!: RequestDeadlinesDto;

  @ApiProperty({
    example: 'in_progress:environmental:5f0c6b1e-9a53-4c1f-8a7e-2f4b8f1d2c3a:2',
    description:
      'L’état lu (statut, type, facilitateur, nombre d’attributions) : à renvoyer (seenState), facultatif, pour clôturer, transférer ou confier la demande à un autre facilitateur : l’action est refusée (409) si la demande a changé entre-temps',
  })
  seenState!: string;

  @ApiProperty({ type: [HistoryEventDto], description: 'Toute l’histoire, la plus ancienne d’abord' })
  history!: HistoryEventDto[];

  @ApiProperty({ type: [AssignmentPeriodDto], description: 'Les facilitateurs qui l’ont tenue, tour à tour, le premier d’abord' })
  assignments!: AssignmentPeriodDto[];

  @ApiProperty({ type: [StaffMessageDto], description: 'Échanges et notes internes, les plus anciens d’abord' })
  messages!: StaffMessageDto[];

  @ApiProperty({ type: [StaffAttachmentDto] })
  attachments!: StaffAttachmentDto[];

  @ApiProperty({
    type: LinkedRequestDto,
    nullable: true,
    description: 'La demande précédente sur le même achat, dont celle-ci est la suite (le choix de l’acheteur) ; null sinon',
  })
  followsUp!: LinkedRequestDto | null;

  @ApiProperty({ type: [LinkedRequestDto], description: 'Les demandes qui en sont la suite (même achat), la plus ancienne d’abord' })
  followedBy!: LinkedRequestDto[];

  @ApiProperty({ type: [SameBuyerRequestDto], description: 'Les autres demandes du même acheteur que vous voyez' })
  buyerRequests!: SameBuyerRequestDto[];

  @ApiProperty({ type: [SimilarRequestDto], description: 'Des demandes proches qui ont déjà reçu une réponse, à réutiliser' })
  similarRequests!: SimilarRequestDto[];

  @ApiProperty({
    type: [UndeliveredMailDto],
    description:
      'Les courriels à l’acheteur abandonnés (refusés pour de bon, ou pas partis en 48 h) : il n’a peut-être pas son lien de suivi',
  })
  undeliveredToBuyer!: UndeliveredMailDto[];

  @ApiProperty({
    description:
      'Vrai quand l’adresse de l’acheteur ne veut plus aucun questionnaire de suivi (son choix depuis un questionnaire, ou noté par l’équipe) : aucun ne lui est plus envoyé',
  })
  surveysRefused!: boolean;

  @ApiProperty({
    type: SurveysRefusalDto,
    nullable: true,
    description: 'Ce refus, quand il y en a un : qui l’a noté et quand (l’adresse elle-même n’est pas gardée avec lui)',
  })
  surveysRefusal!: SurveysRefusalDto | null;

  @ApiProperty({ type: PermittedActionsDto })
  actions!: PermittedActionsDto;

  @ApiProperty({
    description:
      'Vrai quand une réouverture (action reopen) rendrait la demande à son facilitateur ; faux quand il est absent ou parti : elle repasserait par l’attribution automatique',
  })
  reopenReturnsToHolder!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Pour un facilitateur devant une demande de la réserve : pourquoi il ne peut pas la prendre (autre type, territoire, capacité, absence…) ; null s’il le peut ou si la question ne se pose pas',
  })
  poolRefusal!: string | null;

  @ApiProperty({
    type: WaitingReasonDto,
    nullable: true,
    description:
      'Pour une demande de la réserve : pourquoi personne ne peut la prendre maintenant, et si elle en sortira d’elle-même ; null hors de la réserve, ou si une place vient de se libérer (la prochaine attribution la place)',
  })
  waiting!: WaitingReasonDto | null;

  @ApiProperty({
    type: [ColleagueDto],
    description:
      'Quand vous pouvez rendre la demande : les collègues qui peuvent la prendre maintenant, à choisir (facilitatorId de l’action decline) plutôt que l’attribution automatique',
  })
  colleagues!: ColleagueDto[];
}
