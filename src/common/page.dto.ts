import { ApiProperty } from '@nestjs/swagger';

/** Where a paged list stands, for OpenAPI: the lists' page DTOs extend it with their items. */
export class PageDto {
  @ApiProperty({ description: 'Éléments correspondant aux filtres, toutes pages' })
  total!: number;

  @ApiProperty({ example: 1, description: 'La page lue, à partir de 1 ; au-delà de la dernière, la dernière' })
  page!: number;

  @ApiProperty({ example: 1, description: 'Nombre de pages (au moins 1)' })
  pages!: number;
}
