import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendAttachment } from './attachment-download';
import { AttachmentsService } from './attachments.service';

@ApiExcludeController()
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** The files of the answers and the buyer's own, from their private link; anything else answers the tracking page's 404. */
  @Get('suivi/:reference/pieces-jointes/:id')
  async buyerDownload(@Param('reference') reference: string, @Param('id') id: string, @Query('t') token: unknown, @Res() res: Response) {
    sendAttachment(res, await this.attachments.readForBuyer(reference, token, id));
  }
}
