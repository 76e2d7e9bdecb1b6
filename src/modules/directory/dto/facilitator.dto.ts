import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { STAFF_EMAIL_OPTIONS } from '../../accounts/credentials.policy';
import { REQUEST_KINDS, RequestKind } from '../../requests/request.types';
import { ORGANISATION_MAX } from '../facilitator.policy';
import { AbsenceDto } from './absence.dto';

export const CAPACITY_MAX = 200;
const CAPACITY_MESSAGE = `La capacité est un nombre entier de 0 à ${CAPACITY_MAX} (demandes ouvertes à la fois).`;

/** Optional, but null is refused rather than silently taken for "unchanged". */
const Optional = () => ValidateIf((_object, value) => value !== undefined);

const ORGANISATION_DESCRIPTION =
  'Structure qui emploie le facilitateur (PLIE, maison de l’emploi, Département…), nommée à l’acheteur ; une seule ligne. null ou vide : le réseau.';

export class CreateFacilitatorDto {
  @ApiProperty({ example: 'claire.dupont@example.org', maxLength: 254, description: 'Unique ; enregistrée en minuscules' })
  @IsDefined({ message: 'Indiquez l’adresse électronique.' })
  @IsString({ message: 'L’adresse électronique doit être un texte.' })
  @MaxLength(254, { message: 'L’adresse électronique ne doit pas dépasser 254 caractères.' })
  @IsEmail(STAFF_EMAIL_OPTIONS, { message: 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.' })
  email!: string;

  @ApiProperty({ example: 'Claire', maxLength: 100 })
  @IsDefined({ message: 'Indiquez le prénom.' })
  @IsString({ message: 'Le prénom doit être un texte.' })
  @MinLength(1, { message: 'Indiquez le prénom.' })
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères.' })
  firstName!: string;

  @ApiProperty({ example: 'Dupont', maxLength: 100 })
  @IsDefined({ message: 'Indiquez le nom.' })
  @IsString({ message: 'Le nom doit être un texte.' })
  @MinLength(1, { message: 'Indiquez le nom.' })
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères.' })
  lastName!: string;

  @ApiProperty({ enum: REQUEST_KINDS, description: 'Conseiller environnemental ou facilitateur de clauses sociales' })
  @IsDefined({ message: 'Indiquez le type de facilitateur.' })
  @IsIn(REQUEST_KINDS, { message: 'Type inconnu : environmental (conseiller environnemental) ou social_clause (clauses sociales).' })
  kind!: RequestKind;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: ORGANISATION_MAX,
    example: 'PLIE du Grand Narbonne',
    description: ORGANISATION_DESCRIPTION,
  })
  // null is a value here: no structure (the network), as the record gives it back.
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsString({ message: 'La structure doit être un texte.' })
  @MaxLength(ORGANISATION_MAX, { message: `Le nom de la structure ne doit pas dépasser ${ORGANISATION_MAX} caractères.` })
  @Matches(/^[^\r\n]*$/, { message: 'Le nom de la structure tient sur une seule ligne.' })
  organisation?: string | null;

  @ApiProperty({ example: 'aura-ee', description: 'Code du réseau (reseco, 3ar, aura-ee, national…)' })
  @IsDefined({ message: 'Indiquez le code du réseau.' })
  @IsString({ message: 'Le code du réseau doit être un texte.' })
  networkCode!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['38', '73'],
    description:
      'Départements couverts (codes INSEE), sur le territoire du réseau. Vide : tout le réseau ; pour un coordinateur de clauses sociales, vide = relais de tout le réseau seulement.',
  })
  @Optional()
  @ArrayMaxSize(101, { message: 'Au plus 101 départements.' })
  @IsArray({ message: 'Indiquez une liste de codes de départements, par exemple ["38", "73"].' })
  @IsString({ each: true, message: 'Chaque département est un code INSEE, par exemple "38" ou "2A".' })
  departmentCodes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['catering'], description: 'Segments d’achat d’expertise, proposés en priorité' })
  @Optional()
  @ArrayMaxSize(50, { message: 'Au plus 50 segments d’achat.' })
  @IsArray({ message: 'Indiquez une liste de codes de segments d’achat, par exemple ["catering"].' })
  @IsString({ each: true, message: 'Chaque segment d’achat est un code de la liste.' })
  segments?: string[];

  @ApiProperty({ minimum: 0, maximum: CAPACITY_MAX, example: 10, description: 'Nombre maximal de demandes ouvertes à la fois' })
  @IsDefined({ message: 'Indiquez la capacité.' })
  @IsInt({ message: CAPACITY_MESSAGE })
  @Min(0, { message: CAPACITY_MESSAGE })
  @Max(CAPACITY_MAX, { message: CAPACITY_MESSAGE })
  capacity!: number;

  @ApiPropertyOptional({ default: false, description: 'Coordinateur régional de clauses sociales (relais de tout le réseau)' })
  @Optional()
  @IsBoolean({ message: 'Répondez par true ou false.' })
  isCoordinator?: boolean;

  @ApiPropertyOptional({ default: true, description: 'false : ne reçoit plus de demande (pas de suppression définitive)' })
  @Optional()
  @IsBoolean({ message: 'Répondez par true ou false.' })
  active?: boolean;
}

export class UpdateFacilitatorDto extends PartialType(CreateFacilitatorDto, { skipNullProperties: false }) {}

/** A record's structure as the API gives it back (the directory's, the loads'). */
export const ApiOrganisation = () =>
  ApiProperty({
    type: String,
    nullable: true,
    example: 'PLIE du Grand Narbonne',
    description: 'Structure qui l’emploie ; null : le réseau',
  });

export class FacilitatorQueryDto {
  @ApiPropertyOptional({ example: 'aura-ee' })
  @Optional()
  @IsString({ message: 'Indiquez un seul code de réseau.' })
  network?: string;

  @ApiPropertyOptional({ enum: REQUEST_KINDS })
  @Optional()
  @IsIn(REQUEST_KINDS, { message: 'Type inconnu : environmental ou social_clause.' })
  kind?: RequestKind;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @Optional()
  @IsIn(['true', 'false'], { message: 'Indiquez true ou false.' })
  active?: 'true' | 'false';
}

export class FacilitatorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'claire.dupont@example.org' })
  email!: string;

  @ApiProperty({ example: 'Claire' })
  firstName!: string;

  @ApiProperty({ example: 'Dupont' })
  lastName!: string;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: RequestKind;

  @ApiOrganisation()
  organisation!: string | null;

  @ApiProperty({ example: 'aura-ee' })
  networkCode!: string;

  @ApiProperty({ type: [String], example: ['38', '73'], description: 'Vide : tout le réseau (ou relais seulement, pour un coordinateur)' })
  departmentCodes!: string[];

  @ApiProperty({ type: [String], example: ['catering'] })
  segments!: string[];

  @ApiProperty({ example: 10 })
  capacity!: number;

  @ApiProperty({ example: 3, description: 'Demandes ouvertes en ce moment (tenu par le routage)' })
  openCount!: number;

  @ApiProperty()
  isCoordinator!: boolean;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ description: 'Absent aujourd’hui (le jour à l’heure de son réseau)' })
  absentToday!: boolean;

  @ApiProperty({ type: [AbsenceDto], description: 'Absences en cours et à venir, de la plus proche à la plus lointaine' })
  absences!: AbsenceDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAssignedAt!: Date | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;
}
