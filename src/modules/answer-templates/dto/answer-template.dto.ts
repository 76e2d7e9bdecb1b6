import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Min, ValidateIf } from 'class-validator';
import { STAFF_TEXT_MAX } from '../../requests/request-message.types';
import { REQUEST_KINDS, RequestKind } from '../../requests/request.types';
import { TEMPLATE_TITLE_MAX, VERSION_UNREADABLE } from '../answer-template.policy';

const MUST_BE_TEXT = { message: 'Ce champ doit être un texte.' };
/** Left out, the field keeps its value; sent as null, it is refused like any value that is not text (only `kind` takes null). */
const sent = (_template: object, value: unknown) => value !== undefined;

/**
 * A template as an API client sends it. Shape and types only: what each field must hold (a network the
 * person manages, a one-line title, a text within the limit) is answer-template.policy's, as for the page.
 */
export class CreateAnswerTemplateDto {
  @ApiProperty({ example: 'aura-ee', description: 'Un réseau que vous animez (tous pour un administrateur)' })
  @ValidateIf(sent)
  @IsString(MUST_BE_TEXT)
  networkCode?: string;

  @ApiProperty({ example: 'Fournitures de bureau et loi AGEC', maxLength: TEMPLATE_TITLE_MAX })
  @ValidateIf(sent)
  @IsString(MUST_BE_TEXT)
  title?: string;

  @ApiProperty({ description: 'Le début de réponse proposé, en Markdown simple', maxLength: STAFF_TEXT_MAX })
  @ValidateIf(sent)
  @IsString(MUST_BE_TEXT)
  body?: string;

  @ApiPropertyOptional({
    enum: REQUEST_KINDS,
    nullable: true,
    description: 'Les demandes auxquelles il convient ; absent ou null : les deux types',
  })
  @IsOptional()
  @IsString(MUST_BE_TEXT)
  kind?: string | null;
}

/** The version a change or a deletion was prepared from. */
export class AnswerTemplateVersionDto {
  @ApiPropertyOptional({
    example: 3,
    description:
      'La version lue (champ `version`, ou l’en-tête If-Match avec l’ETag reçu, vérifié d’abord) : si le modèle a changé depuis, rien n’est fait (409 ; 412 par If-Match, ou si les deux désignent des versions différentes). Absente (ni If-Match) : la version lue par cette requête même.',
  })
  @IsOptional()
  @IsInt({ message: VERSION_UNREADABLE })
  @Min(1, { message: VERSION_UNREADABLE })
  version?: number;
}

/** Only the fields sent change; null is checked, not skipped, as in the creation. */
export class UpdateAnswerTemplateDto extends IntersectionType(
  PartialType(CreateAnswerTemplateDto, { skipNullProperties: false }),
  AnswerTemplateVersionDto,
) {}

export class AnswerTemplateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'aura-ee' })
  networkCode!: string;

  @ApiProperty({ example: 'Fournitures de bureau et loi AGEC' })
  title!: string;

  @ApiProperty({ description: 'En Markdown simple' })
  body!: string;

  @ApiProperty({ enum: REQUEST_KINDS, nullable: true, description: 'null : convient aux deux types de demande' })
  kind!: RequestKind | null;

  @ApiProperty({ example: 3, description: 'Une de plus à chaque modification ; aussi l’ETag de la réponse, à renvoyer en If-Match' })
  version!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}
