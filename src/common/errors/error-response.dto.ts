import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from './app-errors';

export class FieldErrorDto {
  @ApiProperty({ example: 'buyer.email', description: 'Le champ en cause (chemin JSON) ; vide pour la requête entière' })
  field!: string;

  @ApiProperty({ example: 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.' })
  message!: string;
}

export class PointerDto {
  @ApiProperty({ example: 'Les entreprises s’engagent' })
  label!: string;

  @ApiProperty({ example: 'https://lesentreprises-sengagent.gouv.fr/' })
  url!: string;
}

/** The body of every error the API answers (src/common/errors/error-responder.ts). */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'La demande contient des erreurs.' })
  message!: string;

  @ApiProperty({ type: [FieldErrorDto] })
  errors!: FieldErrorDto[];

  @ApiPropertyOptional({
    enum: Object.keys(ERROR_STATUS),
    example: 'validation_failed',
    description: 'La nature de l’erreur, stable pour un programme (absente des erreurs HTTP génériques)',
  })
  code?: ErrorCode;

  @ApiPropertyOptional({ type: [PointerDto], description: 'Où s’adresser à la place (demande non recevable)' })
  pointers?: PointerDto[];

  @ApiPropertyOptional({
    example: 'answered:environmental:5f0c6b1e-9a53-4c1f-8a7e-2f4b8f1d2c3a:2',
    description:
      'Avec `changed_meanwhile` seulement, à qui voit la demande : son état maintenant (statut, type, facilitateur, nombre d’attributions), à renvoyer comme `seenState` pour recommencer en connaissance de cause',
  })
  seenState?: string;
}
