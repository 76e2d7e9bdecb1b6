import { frenchNumber } from '../../../common/french-format';
import { MAILBOX_OPTIONS, notInList } from '../../../common/validation';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  ORGANISATION_TYPES,
  OrganisationType,
  PURCHASE_STAGES,
  PurchaseStage,
  REQUEST_KINDS,
  RequestKind,
} from '../../requests/request.types';
import { DEPARTMENT_CODES, SEGMENT_CODES } from '../../reference/reference.seed';
import { QUESTION_MAX_LENGTH, QUESTION_MIN_LENGTH, QUESTION_MIN_WORDS } from '../eligibility.policy';
import { exampleRequestBody } from './create-request.example';

const REQUIRED = 'Ce champ est obligatoire.';
/** A name or an object: a line break in it would break the lines of the e-mails that quote it. */
const ONE_LINE = /^[^\r\n]*$/;
/** An organisation or a subject made only of invisible characters (zero-width spaces, combining marks alone) or emoji names nothing. */
const VISIBLE = /[\p{L}\p{N}]/u;
/** A person's name has a letter (« 123 » is no name). */
const LETTER = /\p{L}/u;
/**
 * Characters that reverse or isolate the direction of what follows (U+202A–U+202E, U+2066–U+2069): in a one-line field
 * they make a subject or a name read otherwise than it is stored (« Achat \u202Etxt.exe »). Direction marks stay.
 */
const NO_BIDI_CONTROL = /^[^\u202a-\u202e\u2066-\u2069]*$/;
const BIDI_CONTROL_MESSAGE = 'Ce champ contient un caractère invisible qui inverse le sens du texte : retirez-le.';
/** 9 to 15 digits (a French number has 10, an international one at most 15), with the usual separators (spaces too). */
const PHONE = /^\+?(?:[ \u00a0\u202f.()-]*\d){9,15}[ \u00a0\u202f.()-]*$/;

const CONSENT_REQUIRED = 'Cochez la case pour confirmer que vous avez pris connaissance du traitement de vos données personnelles.';
export class BuyerDto {
  @ApiProperty({ example: 'Camille', minLength: 1, maxLength: 100, description: 'Une seule ligne, au moins une lettre' })
  @IsDefined({ message: 'Indiquez votre prénom.' })
  @IsString({ message: 'Le prénom doit être un texte.' })
  @MinLength(1, { message: 'Indiquez votre prénom.' })
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères.' })
  @Matches(ONE_LINE, { message: 'Le prénom tient sur une seule ligne.' })
  @Matches(LETTER, { message: 'Indiquez votre prénom, en lettres.' })
  @Matches(NO_BIDI_CONTROL, { message: BIDI_CONTROL_MESSAGE })
  firstName!: string;

  @ApiProperty({ example: 'Martin', minLength: 1, maxLength: 100, description: 'Une seule ligne, au moins une lettre' })
  @IsDefined({ message: 'Indiquez votre nom.' })
  @IsString({ message: 'Le nom doit être un texte.' })
  @MinLength(1, { message: 'Indiquez votre nom.' })
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères.' })
  @Matches(ONE_LINE, { message: 'Le nom tient sur une seule ligne.' })
  @Matches(LETTER, { message: 'Indiquez votre nom, en lettres.' })
  @Matches(NO_BIDI_CONTROL, { message: BIDI_CONTROL_MESSAGE })
  lastName!: string;

  @ApiProperty({ example: 'camille.martin@example.fr', format: 'email', maxLength: 254 })
  @IsDefined({ message: 'Indiquez votre adresse électronique.' })
  @IsString({ message: 'L’adresse électronique doit être un texte.' })
  @MaxLength(254, { message: 'L’adresse électronique ne doit pas dépasser 254 caractères.' })
  @IsEmail(MAILBOX_OPTIONS, { message: 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.' })
  email!: string;

  @ApiPropertyOptional({
    example: '+33 4 76 00 00 00',
    maxLength: 30,
    pattern: PHONE.source,
    description: '9 à 15 chiffres',
    nullable: true,
  })
  @IsOptional()
  @IsString({ message: 'Le téléphone doit être un texte.' })
  @MaxLength(30, { message: 'Indiquez un numéro de téléphone valide, par exemple 04 76 00 00 00.' })
  @Matches(PHONE, { message: 'Indiquez un numéro de téléphone valide, par exemple 04 76 00 00 00.' })
  phone?: string;

  @ApiProperty({
    example: 'Département de l’Isère',
    minLength: 2,
    maxLength: 200,
    description: 'Une seule ligne, au moins une lettre ou un chiffre',
  })
  @IsDefined({ message: 'Indiquez le nom de votre organisation.' })
  @IsString({ message: 'Le nom de l’organisation doit être un texte.' })
  @MinLength(2, { message: 'Le nom de l’organisation doit faire au moins 2 caractères.' })
  @MaxLength(200, { message: 'Le nom de l’organisation ne doit pas dépasser 200 caractères.' })
  @Matches(ONE_LINE, { message: 'Le nom de l’organisation tient sur une seule ligne.' })
  @Matches(VISIBLE, { message: 'Indiquez le nom de votre organisation, en lettres ou en chiffres.' })
  @Matches(NO_BIDI_CONTROL, { message: BIDI_CONTROL_MESSAGE })
  organisationName!: string;

  @ApiProperty({ enum: ORGANISATION_TYPES })
  @IsDefined({ message: 'Choisissez le type de votre organisation.' })
  @IsIn(ORGANISATION_TYPES, { message: notInList('Choisissez un type d’organisation de la liste', ORGANISATION_TYPES) })
  organisationType!: OrganisationType;

  @ApiPropertyOptional({ example: '22380001400019', description: '14 chiffres (espaces admis), clé de contrôle vérifiée', nullable: true })
  @IsOptional()
  @IsString({ message: 'Le SIRET doit être un texte de 14 chiffres.' })
  siret?: string;
}

const FOLLOWS_UP_SHAPE = 'Indiquez la référence de la demande précédente et le jeton de son lien de suivi.';

/** The earlier request about the same purchase, proven by its tracking token as its page is. */
export class FollowsUpDto {
  @ApiProperty({ example: 'GV-2026-000098', maxLength: 20, description: 'Référence de la demande précédente' })
  @IsDefined({ message: FOLLOWS_UP_SHAPE })
  @IsString({ message: FOLLOWS_UP_SHAPE })
  @MaxLength(20, { message: 'Une référence s’écrit GV-AAAA-NNNNNN.' })
  reference!: string;

  @ApiProperty({
    maxLength: 200,
    description: 'Son jeton de suivi : le paramètre `t` de son lien de suivi (l’en-tête X-Tracking-Token de son suivi dans l’API)',
  })
  @IsDefined({ message: FOLLOWS_UP_SHAPE })
  @IsString({ message: FOLLOWS_UP_SHAPE })
  @MaxLength(200, { message: 'Ce jeton de suivi n’est pas valide.' })
  trackingToken!: string;
}

export class CreateRequestDto {
  @ApiProperty({ type: BuyerDto })
  @IsDefined({ message: REQUIRED })
  @IsNotEmptyObject({}, { message: 'Indiquez les informations sur l’acheteur.' })
  @ValidateNested()
  @Type(() => BuyerDto)
  buyer!: BuyerDto;

  @ApiProperty({ enum: DEPARTMENT_CODES, example: '38', description: 'Code INSEE du département (01, 2A, 971…) ; « 2a » est lu « 2A »' })
  @IsDefined({ message: 'Choisissez le département de l’achat.' })
  @IsString({ message: 'Le département doit être un code INSEE, par exemple "38" ou "2A".' })
  departmentCode!: string;

  @ApiProperty({ enum: REQUEST_KINDS })
  @IsDefined({ message: 'Choisissez le type de question.' })
  @IsIn(REQUEST_KINDS, { message: notInList('Choisissez « environnemental » ou « clauses sociales »', REQUEST_KINDS) })
  kind!: RequestKind;

  @ApiProperty({ enum: SEGMENT_CODES, example: 'office_supplies', description: 'Code du segment d’achat' })
  @IsDefined({ message: 'Choisissez le segment d’achat.' })
  @IsString({ message: notInList('Choisissez un segment d’achat de la liste', SEGMENT_CODES) })
  segment!: string;

  @ApiProperty({
    example: 'Fournitures de bureau et loi AGEC',
    minLength: 5,
    maxLength: 150,
    description: 'Une seule ligne, au moins une lettre ou un chiffre',
  })
  @IsDefined({ message: 'Indiquez l’objet de votre demande.' })
  @IsString({ message: 'L’objet doit être un texte.' })
  @MinLength(5, { message: 'L’objet doit faire au moins 5 caractères.' })
  @MaxLength(150, { message: 'L’objet ne doit pas dépasser 150 caractères.' })
  @Matches(ONE_LINE, { message: 'L’objet tient sur une seule ligne.' })
  @Matches(VISIBLE, { message: 'Indiquez l’objet de votre demande, en lettres ou en chiffres.' })
  @Matches(NO_BIDI_CONTROL, { message: BIDI_CONTROL_MESSAGE })
  subject!: string;

  @ApiProperty({
    minLength: QUESTION_MIN_LENGTH,
    maxLength: QUESTION_MAX_LENGTH,
    example: exampleRequestBody().question,
    description: `Une vraie question sur un achat : au moins ${QUESTION_MIN_LENGTH} caractères et ${QUESTION_MIN_WORDS} mots, pas le texte d’exemple du formulaire`,
  })
  @IsDefined({ message: 'Posez votre question.' })
  @IsString({ message: 'La question doit être un texte.' })
  @MaxLength(QUESTION_MAX_LENGTH, { message: `La question ne doit pas dépasser ${frenchNumber(QUESTION_MAX_LENGTH)} caractères.` })
  question!: string;

  @ApiProperty({ enum: PURCHASE_STAGES })
  @IsDefined({ message: 'Choisissez l’étape de votre achat.' })
  @IsIn(PURCHASE_STAGES, { message: notInList('Choisissez une étape de la liste', PURCHASE_STAGES) })
  purchaseStage!: PurchaseStage;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 100_000_000_000,
    example: 120000,
    description: 'Montant estimé en euros hors taxes, entier',
    nullable: true,
  })
  @IsOptional()
  @IsInt({ message: 'Le montant estimé est un nombre entier d’euros hors taxes.' })
  @Min(0, { message: 'Le montant estimé ne peut pas être négatif.' })
  @Max(100_000_000_000, { message: 'Le montant estimé semble trop élevé.' })
  estimatedAmount?: number;

  @ApiPropertyOptional({
    example: '2027-03-01',
    format: 'date',
    description: 'Date à laquelle la réponse est nécessaire ; pas avant aujourd’hui (dans le fuseau du département)',
    nullable: true,
  })
  @IsOptional()
  @IsString({ message: 'Date non valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Date non valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.' })
  neededBy?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      'Obligatoire pour les acheteurs de l’État (`state_administration`, `state_public_body`) : le référent achats responsables a-t-il été consulté ? `false` : demande non éligible (422). Ignoré pour les autres.',
  })
  @IsOptional()
  @IsBoolean({ message: 'Répondez par oui ou non.' })
  internalReferentConsulted?: boolean;

  @ApiProperty({
    type: Boolean,
    enum: [true],
    description:
      'L’acheteur a pris connaissance du traitement de ses données personnelles (notice /confidentialite ; base légale : mission d’intérêt public) : `true` seulement',
    example: true,
  })
  // The processing rests on a public-interest mission (RGPD art. 6.1.e), not on consent: the box attests the buyer was told.
  @IsDefined({ message: CONSENT_REQUIRED })
  @Equals(true, { message: CONSENT_REQUIRED })
  consent!: boolean;

  @ApiPropertyOptional({
    type: FollowsUpDto,
    description:
      'Une nouvelle question sur le même achat qu’une demande précédente : sa référence et son jeton de suivi. La nouvelle demande est liée à la précédente (l’équipe voit les deux, et la confie de préférence au facilitateur qui a traité la précédente s’il peut la prendre). Une référence inconnue ou un jeton faux : erreur 400 sur `followsUp`. Absent pour une question sur un autre achat.',
  })
  @IsOptional()
  @IsNotEmptyObject({}, { message: FOLLOWS_UP_SHAPE })
  @ValidateNested()
  @Type(() => FollowsUpDto)
  followsUp?: FollowsUpDto;
}

export class CreatedRequestDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: ['submitted'], description: 'Le statut à l’enregistrement ; un rejeu renvoie la première réponse telle quelle' })
  status!: string;

  @ApiProperty({
    example: 'https://guichet-vert.example.fr/suivi/GV-2026-000123?t=…',
    description:
      'Le lien de suivi privé de l’acheteur. Le jeton de suivi n’est donné que là, dans son paramètre `t` (encodé pour une URL) : ' +
      'aucun autre champ ne le porte. Les routes /api/v1/requests/{reference} l’attendent, décodé, dans l’en-tête X-Tracking-Token.',
  })
  trackingUrl!: string;
}

/** The buyer's contact details as staff correct them (the right to rectification): the intake's own rules. */
export class BuyerContactDto extends PickType(BuyerDto, ['firstName', 'lastName', 'email', 'phone', 'organisationName'] as const) {}
