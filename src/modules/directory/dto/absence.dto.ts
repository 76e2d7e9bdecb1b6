import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

const DATE_FORMAT = 'Date non valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.';

export class CreateAbsenceDto {
  @ApiProperty({ example: '2026-07-15', format: 'date', description: 'Premier jour d’absence' })
  @IsDefined({ message: 'Indiquez le premier jour d’absence.' })
  @IsString({ message: DATE_FORMAT })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_FORMAT })
  startsOn!: string;

  @ApiProperty({ example: '2026-08-02', format: 'date', description: 'Dernier jour d’absence (inclus)' })
  @IsDefined({ message: 'Indiquez le dernier jour d’absence.' })
  @IsString({ message: DATE_FORMAT })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_FORMAT })
  endsOn!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Congés d’été', maxLength: 200 })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsString({ message: 'Le motif doit être un texte.' })
  @MaxLength(200, { message: 'Le motif ne doit pas dépasser 200 caractères.' })
  reason?: string | null;
}

export class AbsenceDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '2026-07-15', format: 'date' })
  startsOn!: string;

  @ApiProperty({ example: '2026-08-02', format: 'date' })
  endsOn!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Congés d’été' })
  reason!: string | null;
}
