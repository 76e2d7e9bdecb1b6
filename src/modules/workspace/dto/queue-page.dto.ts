import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../../common/page.dto';
import { DEADLINE_MISSES_DESCRIPTION, ESCALATED_DESCRIPTION } from './staff-request-page.dto';
import { REQUEST_KINDS, REQUEST_STATUSES, RequestKind, RequestStatus } from '../../requests/request.types';

/** One page of the workspace's queue as the JSON API lists it (GET /api/v1/staff/requests), for OpenAPI. */
export class QueueDeadlineDto {
  @ApiProperty({ enum: ['take_charge', 'answer'], description: 'Prise en charge (confiée) ou réponse (en cours)' })
  kind!: 'take_charge' | 'answer';

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: Date;
}

export class QueueItemDto {
  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ enum: REQUEST_STATUSES })
  status!: RequestStatus;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: RequestKind;

  @ApiProperty({ example: 'Fournitures de bureau et loi AGEC' })
  subject!: string;

  @ApiProperty({ example: 'Camille Martin', description: 'Vide une fois les données personnelles effacées' })
  buyerName!: string;

  @ApiProperty({ example: 'Département de l’Isère', description: 'Vide une fois les données personnelles effacées' })
  organisationName!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Effacement des données personnelles' })
  anonymisedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, example: 'Dominique Durand', description: 'Qui suit la demande ; null dans la réserve' })
  facilitatorName!: string | null;

  @ApiProperty({ description: 'Le compte de ce facilitateur est désactivé (parti) : la demande est à confier à un autre' })
  holderDeparted!: boolean;

  @ApiProperty({ example: '38', description: 'Code INSEE du département' })
  departmentCode!: string;

  @ApiProperty({ example: 'office_supplies' })
  segmentCode!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Dépôt de la demande' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Date à laquelle l’acheteur a besoin de la réponse' })
  neededBy!: string | null;

  @ApiProperty({ description: 'L’acheteur a besoin de la réponse avant le dernier jour de l’échéance en cours' })
  neededSooner!: boolean;

  @ApiProperty({ type: QueueDeadlineDto, nullable: true, description: 'L’échéance qui s’applique maintenant, s’il y en a une' })
  deadline!: QueueDeadlineDto | null;

  @ApiProperty({ description: 'Échéance dépassée' })
  late!: boolean;

  @ApiProperty({ description: DEADLINE_MISSES_DESCRIPTION })
  deadlineMisses!: number;

  @ApiProperty({ description: ESCALATED_DESCRIPTION })
  escalated!: boolean;

  @ApiProperty({
    description:
      'Dans la réserve, elle n’en sortira pas seule : tous ceux qui pourraient la prendre l’ont déjà eue et laissée (déclinée, délai passé ou retirée), ou personne ne couvre son territoire. À confier par l’animation du réseau',
  })
  staysInPool!: boolean;
}

export class QueueCountsDto {
  @ApiProperty({
    description:
      'Demandes de l’onglet « mes demandes » avec les mêmes filtres, statut à part : non clôturées, ou toutes avec une recherche (ce que liste l’onglet)',
  })
  mine!: number;

  @ApiProperty({ description: 'Demandes en réserve, sans facilitateur, avec les mêmes filtres, statut à part' })
  pool!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { assigned: 3, in_progress: 20 },
    description:
      'Dans l’onglet lu (les deux avec escalated=1), le nombre de demandes par statut avec les mêmes filtres (les statuts sans demande sont absents)',
  })
  byStatus!: Partial<Record<RequestStatus, number>>;
}

export class QueuePageDto extends PageDto {
  @ApiProperty({
    type: [QueueItemDto],
    description: 'Dans l’ordre demandé (sort) ; par défaut, échéance la plus proche d’abord (les retards en tête), puis les plus anciennes',
  })
  items!: QueueItemDto[];

  @ApiProperty({ type: QueueCountsDto })
  counts!: QueueCountsDto;
}
