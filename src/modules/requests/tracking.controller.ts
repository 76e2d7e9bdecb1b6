import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TrackedRequest, TrackingService } from './tracking.service';

@ApiTags('Demandes')
@Controller()
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  @Get('api/v1/requests/:reference')
  @ApiOperation({ summary: 'Suivre une demande', description: 'Statut et historique public, avec le jeton reçu à la création.' })
  @ApiHeader({ name: 'X-Tracking-Token', required: true, description: 'Le paramètre t du lien de suivi' })
  @ApiOkResponse({ description: 'La demande et son historique public' })
  @ApiNotFoundResponse({ description: 'Référence inconnue ou jeton faux (même réponse dans les deux cas)' })
  find(@Param('reference') reference: string, @Headers('x-tracking-token') token?: string): Promise<TrackedRequest> {
    return this.tracking.findForBuyer(reference, token);
  }

  @Get('suivi/:reference')
  @ApiExcludeEndpoint()
  async page(@Param('reference') reference: string, @Query('t') token: string | undefined, @Res() res: Response) {
    const request = await this.tracking.findForBuyer(reference, typeof token === 'string' ? token : undefined);
    res.setHeader('Cache-Control', 'no-store');
    res.render('tracking', { title: `Demande ${request.reference}`, request });
  }
}
