import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFound } from '../../common/errors/app-errors';
import { tokenMatches } from '../../common/tokens';
import { ReferenceService } from '../reference/reference.service';
import { KIND_LABELS, ORGANISATION_TYPE_LABELS, OrganisationType, PURCHASE_STAGE_LABELS, PurchaseStage } from '../requests/request.types';
import type { DeclineReason } from './request-assignment.entity';
import { AssignmentView, RoutingRepository } from './routing.repository';
import { RoutingService } from './routing.service';

const DECLINE_REASONS: Array<{ value: DeclineReason; label: string }> = [
  { value: 'not_my_territory', label: 'Hors de mon territoire' },
  { value: 'not_my_expertise', label: 'Hors de mon expertise' },
  { value: 'unavailable', label: 'Indisponible' },
];

/**
 * The facilitator's private page for one assignment, reached from the e-mailed link (its token
 * is the credential until staff accounts exist): see the request, take it in charge or decline.
 */
@ApiExcludeController()
@Controller('affectation')
export class AssignmentPagesController {
  constructor(
    private readonly routing: RoutingService,
    private readonly repository: RoutingRepository,
    private readonly reference: ReferenceService,
  ) {}

  @Get(':id')
  async show(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Query('t') token: unknown, @Res() res: Response) {
    const assignment = await this.authorised(id, token);
    res.setHeader('Cache-Control', 'no-store');
    res.render('assignment', this.model(assignment, String(token)));
  }

  @Post(':id/prise-en-charge')
  async takeCharge(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const assignment = await this.authorised(id, body?.t);
    await this.routing.takeCharge(assignment.requestId, assignment.id);
    res.redirect(303, `/affectation/${id}?t=${encodeURIComponent(String(body.t))}`);
  }

  @Post(':id/declin')
  async decline(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const assignment = await this.authorised(id, body?.t);
    const reason = DECLINE_REASONS.find((r) => r.value === body.reason)?.value;
    if (!reason) {
      res
        .status(400)
        .render('assignment', { ...this.model(assignment, String(body.t)), declineError: 'Choisissez le motif de votre refus.' });
      return;
    }
    await this.routing.decline(assignment.requestId, assignment.id, reason);
    res.redirect(303, `/affectation/${id}?t=${encodeURIComponent(String(body.t))}`);
  }

  /** Unknown assignment and wrong token answer the same 404. */
  private async authorised(id: string, token: unknown): Promise<AssignmentView> {
    const assignment = await this.repository.assignmentView(id);
    if (!assignment || typeof token !== 'string' || !tokenMatches(token, assignment.actionTokenHash)) throw new NotFound();
    return assignment;
  }

  private model(assignment: AssignmentView, token: string) {
    return {
      title: `Demande ${assignment.reference}`,
      assignment,
      token,
      state: assignment.endedAt ? 'ended' : assignment.takenAt ? 'taken' : 'pending',
      kindLabel: KIND_LABELS[assignment.kind],
      department: `${assignment.departmentCode} — ${this.reference.department(assignment.departmentCode)?.name ?? ''}`,
      segment: this.reference.segment(assignment.segmentCode)?.label ?? assignment.segmentCode,
      stage: PURCHASE_STAGE_LABELS[assignment.purchaseStage as PurchaseStage],
      organisationType: ORGANISATION_TYPE_LABELS[assignment.organisationType as OrganisationType],
      declineReasons: DECLINE_REASONS,
    };
  }
}
