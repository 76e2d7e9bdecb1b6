import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard } from '../accounts/staff.guard';
import { filtersRefused, parseEvaluationFilters } from './evaluations.policy';
import { EvaluationsService } from './evaluations.service';

type Json = Record<string, unknown>;

/** The animators' review for scripts (bearer token): the same list, detail and actions as the pages. */
@ApiTags('évaluations')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/staff/evaluations')
export class EvaluationsApiController {
  constructor(private readonly evaluations: EvaluationsService) {}

  /** Query: du, au (YYYY-MM-DD), reseau, kind, segment, department, facilitator, wave, score, reviewed (oui|non), page. */
  @Get()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: Json) {
    const { filters, errors } = parseEvaluationFilters(query);
    if (errors.length) throw filtersRefused(errors);
    return this.evaluations.list(staff, filters);
  }

  @Get(':id')
  async show(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string) {
    const { evaluation, ...rest } = await this.evaluations.detail(staff, id);
    const { tokenHash: _hash, tokenSealed: _sealed, ...shown } = evaluation;
    return { evaluation: shown, ...rest };
  }

  /** Body: `{ note }` (optional internal note). */
  @Post(':id/review')
  @HttpCode(200)
  async review(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: Json = {}) {
    await this.evaluations.review(staff, id, body.note);
    return this.show(staff, id);
  }

  /** Body: `{ notice: true }`, the acknowledgement that the buyer's words are reused only anonymously and with consent. */
  @Post(':id/share')
  @HttpCode(200)
  async share(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: Json = {}) {
    await this.evaluations.share(staff, id, body.notice);
    return this.show(staff, id);
  }
}
