import { ApiProperty } from '@nestjs/swagger';
import { ApiOrganisation } from '../../directory/dto/facilitator.dto';
import { REQUEST_KINDS, REQUEST_STATUSES, RequestKind, RequestStatus } from '../../requests/request.types';
import { FACILITATOR_ACCOUNT_STATES, type FacilitatorAccountState } from '../../routing/routing.repository';

/** What the dispatch actions answer (JSON API), documented for OpenAPI; the service returns these shapes. */
export class TransferResultDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: REQUEST_KINDS, description: 'Le nouveau type de la demande' })
  kind!: RequestKind;

  @ApiProperty({ enum: REQUEST_STATUSES, description: 'submitted : remise en attribution' })
  status!: RequestStatus;
}

export class SplitCreatedDto {
  @ApiProperty({ example: 'GV-2026-000124' })
  reference!: string;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: RequestKind;

  @ApiProperty()
  subject!: string;
}

export class SplitResultDto {
  @ApiProperty({ description: 'La demande d’origine, qui garde son premier sujet', example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ type: [SplitCreatedDto], description: 'Les nouvelles demandes, chacune routée' })
  created!: SplitCreatedDto[];
}

export class ReassignResultDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: REQUEST_STATUSES })
  status!: RequestStatus;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Le facilitateur qui la tient désormais ; null : en réserve' })
  facilitatorId!: string | null;
}

export class AbsencePeriodDto {
  @ApiProperty({ example: '2026-07-15', format: 'date', description: 'Premier jour' })
  startsOn!: string;

  @ApiProperty({ example: '2026-08-02', format: 'date', description: 'Dernier jour, inclus' })
  endsOn!: string;
}

export class FacilitatorLoadDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  firstName!: string;

  @ApiProperty()
  lastName!: string;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: RequestKind;

  @ApiOrganisation()
  organisation!: string | null;

  @ApiProperty({ example: 'aura-ee' })
  networkCode!: string;

  @ApiProperty({ type: [String], description: 'Départements couverts ; vide : tout le réseau', example: ['38', '73'] })
  departmentCodes!: string[];

  @ApiProperty()
  active!: boolean;

  @ApiProperty({
    type: [String],
    description:
      'Coordinateur régional de clauses sociales : les régions dont il reçoit les demandes qu’aucun facilitateur du département ne peut prendre ; vide sinon',
    example: ['Grand Est'],
  })
  coordinatedRegions!: string[];

  @ApiProperty({ description: 'Demandes ouvertes qu’il tient' })
  openCount!: number;

  @ApiProperty({
    description:
      'Demandes ouvertes qu’il peut tenir ; openCount la dépasse quand l’animation lui en a confié au-delà (reassign avec beyondCapacity) : le routage ne lui en donne plus tant qu’il n’est pas repassé en dessous',
  })
  capacity!: number;

  @ApiProperty({ description: 'Absent aujourd’hui' })
  absentToday!: boolean;

  @ApiProperty({
    type: AbsencePeriodDto,
    nullable: true,
    description: 'L’absence en cours, sinon la prochaine déclarée ; null : aucune',
  })
  absence!: AbsencePeriodDto | null;

  @ApiProperty({ description: 'Demandes qu’il tient dont l’échéance est passée' })
  lateCount!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Dernière attribution' })
  lastAssignedAt!: Date | null;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({
    enum: FACILITATOR_ACCOUNT_STATES,
    description:
      'Son accès à l’espace : active (il peut se connecter), invited (invité, mot de passe pas encore choisi), none (aucun compte actif : les demandes qu’il reçoit attendent sans que personne ne puisse les prendre en charge)',
  })
  account!: FacilitatorAccountState;
}
