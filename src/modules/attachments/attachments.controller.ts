import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import type { Response } from 'express';
import { sendAttachment } from './attachment-download';
import { AttachmentsService } from './attachments.service';

@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** The files of the answers and the buyer's own, from their private link; anything else answers the tracking page's 404. */
  @Get('suivi/:reference/pieces-jointes/:id')
  @ApiExcludeEndpoint()
  async buyerDownload(@Param('reference') reference: string, @Param('id') id: string, @Query('t') token: unknown, @Res() res: Response) {
    sendAttachment(res, await this.attachments.readForBuyer(reference, token, id));
  }

  /** The same files for a program: the token in its header, as every buyer route of the API (never in a URL a log keeps). */
  @Get('api/v1/requests/:reference/files/:id')
  @ApiTags('Demandes')
  @ApiOperation({
    summary: 'Télécharger un fichier de la demande',
    description: 'Les fichiers des réponses et ceux de l’acheteur : le chemin est `apiDownloadPath` dans `conversation[].files`.',
  })
  @ApiHeader({ name: 'x-tracking-token', required: true, description: 'Le paramètre t du lien de suivi' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'Le fichier, son type dans Content-Type, son nom dans Content-Disposition',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Référence, jeton ou fichier inconnu (même réponse dans les trois cas)' })
  async buyerApiDownload(
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Headers('x-tracking-token') token: string | undefined,
    @Res() res: Response,
  ) {
    sendAttachment(res, await this.attachments.readForBuyer(reference, token, id));
  }
}
