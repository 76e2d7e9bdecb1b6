import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BuyerContactDto } from '../../intake/dto/create-request.dto';
import { HELP_ITEM_TYPES, REFERRAL_TARGETS, STAFF_TEXT_MAX } from '../../requests/request-message.types';
import { SYSTEM_CLOSE_REASONS } from '../../requests/request-state.policy';
import { CLOSE_REASONS, REQUEST_STATUSES } from '../../requests/request.types';
import { DECLINE_REASONS } from '../workspace.service';

/** What the workspace's actions answer (JSON API), and the bodies they take, for OpenAPI. */
export class StaffActionResultDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: REQUEST_STATUSES, description: 'Le statut après l’action' })
  status!: string;

  @ApiProperty({ type: String, nullable: true, enum: CLOSE_REASONS, description: 'Motif, une fois clôturée' })
  closeReason!: string | null;
}

export class BuyerContactResultDto extends StaffActionResultDto {
  @ApiProperty({
    example: true,
    description:
      'L’adresse électronique a changé : la nouvelle a reçu un nouveau lien de suivi (l’ancien ne fonctionne plus), l’ancienne est prévenue, sans lien',
  })
  newTrackingLinkSent!: boolean;
}

/** The correction's body: the intake's contact fields, and whether the old address was ever the buyer's. */
export class BuyerContactCorrectionDto extends BuyerContactDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'true : l’ancienne adresse n’était pas celle de l’acheteur (faute de frappe) ; les refus de questionnaire faits depuis un lien envoyé à cette adresse sont annulés (questionnaires renvoyés ou reprogrammés pour la nouvelle adresse). ' +
      'false ou absent (l’acheteur a changé d’adresse) : ses refus restent valables. Le refus de tout questionnaire enregistré pour l’ancienne adresse reste attaché à celle-ci dans les deux cas. Sans effet si l’adresse ne change pas.',
  })
  previousAddressWasWrong?: boolean;
}

export class DeclineResultDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ example: true, description: 'La demande repart en attribution, vers un autre facilitateur' })
  declined!: boolean;

  @ApiProperty({ example: false, description: 'Rendue après sa prise en charge (l’acheteur est prévenu du changement)' })
  givenBack!: boolean;
}

export class ErasureResultDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: ['closed'] })
  status!: 'closed';

  @ApiProperty({ format: 'date-time', description: 'Effacement des données personnelles de l’acheteur' })
  anonymisedAt!: string;
}

export class TextBodyDto {
  @ApiProperty({ maxLength: STAFF_TEXT_MAX, description: 'Texte, en Markdown simple (emphase, listes, liens)' })
  body!: string;
}

export class DeclineBodyDto {
  @ApiProperty({ enum: DECLINE_REASONS })
  reason!: string;

  @ApiProperty({
    required: false,
    maxLength: 10000,
    description: 'Requis pour rendre une demande prise en charge : où elle en est, pour le facilitateur suivant',
  })
  note?: string;

  @ApiProperty({
    required: false,
    format: 'uuid',
    description:
      'En la rendant : le collègue à qui la confier (parmi `colleagues` de la page de la demande) ; absent, l’attribution choisit',
  })
  facilitatorId?: string;
}

/** The optional staleness check of the close, transfer, reassignment and take bodies. */
export const SEEN_STATE_DESCRIPTION =
  'Facultatif : l’état de la demande tel que vous l’avez lu (`seenState` de sa consultation). Si elle a changé depuis (statut, type ou facilitateur, ou une attribution nouvelle, même revenue au même facilitateur ou à la réserve), l’action est refusée (409, code `changed_meanwhile`) avec ce qui a changé ; absent, rien n’est vérifié ; vide ou null, refusé (400). Un état lu avant que les attributions n’y figurent (trois parties) reste accepté, vérifié sans elles';

/** The 409 a sent `seenState` may bring, in each of those actions' conflict description. */
export const CHANGED_MEANWHILE_CONFLICT =
  '`seenState` envoyé, la demande a changé depuis (code `changed_meanwhile`) : le message dit ce qui a changé et qui l’a fait, `seenState` son état actuel, à renvoyer pour recommencer en connaissance de cause. À qui ne la voit plus (retirée à son facilitateur, sortie de la réserve de son réseau) et l’a lue exactement ainsi juste avant ce dernier changement : ce changement (une clôture, un retrait en sont un) et son auteur seulement, « un autre facilitateur » s’il la détient maintenant (prise dans la réserve), sans `seenState` ; à tout autre, 404 — sauf sur la prise en charge, où qui l’a détenue un jour apprend seulement qu’elle ne lui est plus confiée (409, code `conflict`)';

/** The body of an action that takes only the optional staleness check (take in charge, take from the pool). */
export class SeenStateBodyDto {
  @ApiPropertyOptional({ description: SEEN_STATE_DESCRIPTION })
  seenState?: string;
}

export class CloseBodyDto extends SeenStateBodyDto {
  @ApiProperty({
    enum: CLOSE_REASONS.filter((reason) => !SYSTEM_CLOSE_REASONS.includes(reason)),
    description:
      '`answered` seulement une fois la réponse envoyée ; `withdrawn` seulement avant la réponse (ensuite, l’acheteur indique que sa question est résolue) ; `no_reply` est posé par le service seul, à la fin du délai laissé à l’acheteur',
  })
  reason!: string;

  @ApiPropertyOptional({
    maxLength: STAFF_TEXT_MAX,
    description:
      'Message à l’acheteur, joint à la clôture (page de suivi et courriel) : vers qui se tourner après une réorientation ; obligatoire pour un doublon (`duplicate`) : quelle demande se poursuit',
  })
  message?: string;
}

export class ErasureBodyDto {
  @ApiProperty({ enum: [true], description: 'Confirmation explicite : l’effacement est définitif' })
  confirm!: true;
}

/** One help item of an answer; the fields that count depend on its type (see each). */
export class HelpItemBodyDto {
  @ApiProperty({ enum: HELP_ITEM_TYPES })
  type!: string;

  @ApiProperty({ required: false, description: 'guide, tender_file' })
  title?: string;

  @ApiProperty({ required: false, description: 'guide : adresse https du document' })
  url?: string;

  @ApiProperty({
    required: false,
    description: 'guide, tender_file : le nom d’un fichier envoyé avec la réponse (multipart, champ fichiers)',
  })
  attachmentId?: string;

  @ApiProperty({ required: false, description: 'regulation : code d’un texte de la liste de référence, par exemple ccp-l2111-1' })
  legalReferenceCode?: string;

  @ApiProperty({ required: false, description: 'peer : nom de l’acheteur pair' })
  peerName?: string;

  @ApiProperty({ required: false, description: 'peer : son organisation' })
  peerOrganisation?: string;

  @ApiProperty({ required: false, description: 'peer : son contact' })
  peerContact?: string;

  @ApiProperty({ required: false, description: 'peer : il a accepté d’être mis en relation' })
  peerConsent?: boolean;

  @ApiProperty({ required: false, enum: REFERRAL_TARGETS, description: 'referral : vers qui orienter' })
  referralTarget?: string;

  @ApiProperty({ required: false, description: 'regulation, peer, referral : précisions' })
  details?: string;
}

export class AnswerBodyDto extends TextBodyDto {
  @ApiProperty({ type: [HelpItemBodyDto], required: false, maxItems: 20, description: 'Aides typées jointes à la réponse' })
  items?: HelpItemBodyDto[];

  @ApiProperty({
    required: false,
    description:
      'true : un complément à la réponse envoyée ; refusé (409) si l’acheteur a répondu entre-temps, pour ne pas lui répondre sans l’avoir lu. ' +
      'false : la première réponse ; refusée (409) si la demande est déjà répondue, plutôt qu’envoyée comme complément',
  })
  complement?: boolean;

  @ApiProperty({
    required: false,
    description:
      'Identifiant du dernier message de l’acheteur lu par l’auteur (chaîne vide : aucun) ; refusé (409) s’il en a écrit un autre depuis',
  })
  buyerMessageSeen?: string;
}

export class AnswerDraftBodyDto {
  @ApiProperty({
    required: false,
    maxLength: 10000,
    description: 'Le texte de la réponse en cours ; vide, avec aucune aide : le brouillon est supprimé',
  })
  body?: string;

  @ApiProperty({
    type: [HelpItemBodyDto],
    required: false,
    maxItems: 20,
    description: 'Les aides saisies, gardées telles quelles (non vérifiées) ; un fichier n’y est jamais gardé',
  })
  items?: HelpItemBodyDto[];
}

export class AnswerDraftDto {
  @ApiProperty({ description: 'Le texte gardé (vide sans brouillon)' })
  body!: string;

  @ApiProperty({ type: [HelpItemBodyDto], description: 'Les aides saisies, telles quelles' })
  items!: HelpItemBodyDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Enregistré à ce moment ; null : aucun brouillon' })
  savedAt!: Date | null;
}

export class LeftAnswerDraftDto {
  @ApiProperty({ example: 'GV-2026-000042' })
  reference!: string;

  @ApiProperty({ description: 'L’objet actuel de la demande (une scission faite depuis peut l’avoir changé)' })
  subject!: string;

  @ApiProperty({ description: 'Le texte gardé' })
  body!: string;

  @ApiProperty({ type: [HelpItemBodyDto], description: 'Les aides saisies, telles quelles' })
  items!: HelpItemBodyDto[];

  @ApiProperty({ type: String, format: 'date-time' })
  savedAt!: Date;

  @ApiProperty({ description: 'La demande vous est encore visible (dans la réserve de votre réseau) : sa page montre aussi ce brouillon' })
  stillSeen!: boolean;
}
