import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { AUDIT_RETENTION_DAYS, AuditService } from './audit.service';

/** « Journal »: who changed what among accounts, directory and networks — admins all, animators their networks'. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@StaffRoles('admin', 'animator')
@Controller('espace/journal')
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async journal(@CurrentStaff() staff: StaffPrincipal, @Query('avant') before: unknown, @Res() res: Response) {
    const { entries, olderFrom } = await this.audit.page(staff, before);
    res.render('journal', {
      // The older changes' page has a title of its own (RGAA 8.6): paged by date, it has no page number to give.
      title: before === undefined ? 'Journal des changements' : 'Journal des changements, plus anciens',
      entries,
      olderFrom,
      paged: before !== undefined,
      retentionDays: AUDIT_RETENTION_DAYS,
    });
  }
}
