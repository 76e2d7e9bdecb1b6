import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { ReferenceService } from '../reference/reference.service';
import { AUDIT_RETENTION_DAYS, AuditService } from './audit.service';
import { CHANGE_KINDS, journalFilters, journalUrl } from './journal-filters.policy';

/** « Journal »: who changed what among accounts, directory and networks — admins all, animators their networks'. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@StaffRoles('admin', 'animator')
@Controller('espace/journal')
export class AuditPagesController {
  constructor(
    private readonly audit: AuditService,
    private readonly reference: ReferenceService,
  ) {}

  @Get()
  async journal(@CurrentStaff() staff: StaffPrincipal, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const networks = this.reference.networkOptions(visibleNetworks(staff));
    const filters = journalFilters(
      query,
      networks.map((n) => n.value),
    );
    const before = query.avant;
    const { entries, olderFrom } = await this.audit.page(staff, filters, before);
    const filtered = Boolean(filters.search || filters.kind || filters.network);
    res.render('journal', {
      // The older changes' page has a title of its own (RGAA 8.6): paged by date, it has no page number to give.
      title: `Journal des changements${before === undefined ? '' : ', plus anciens'}${filtered ? ' (filtré)' : ''}`,
      entries,
      filters,
      filtered,
      kindOptions: Object.entries(CHANGE_KINDS).map(([value, kind]) => ({ value, label: kind.label })),
      // One network has nothing to choose between.
      networkOptions: networks.length > 1 ? networks : [],
      olderUrl: olderFrom ? journalUrl(filters, olderFrom) : null,
      newestUrl: journalUrl(filters),
      paged: before !== undefined,
      retentionDays: AUDIT_RETENTION_DAYS,
    });
  }
}
