import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { formModel } from '../../web/form-model';
import { ReferenceService } from '../reference/reference.service';
import {
  HELP_ITEM_TYPE_LABELS,
  HELP_ITEM_TYPES,
  MESSAGE_KIND_LABELS,
  REFERRAL_TARGET_LABELS,
  REFERRAL_TARGETS,
} from '../requests/request-message.types';
import {
  CLOSE_REASON_LABELS,
  KIND_LABELS,
  ORGANISATION_TYPE_LABELS,
  OrganisationType,
  PURCHASE_STAGE_LABELS,
  PurchaseStage,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  STATUS_LABELS,
} from '../requests/request.types';
import { QueueFilters } from './workspace-queue.policy';
import { DECLINE_REASONS, WorkspaceService } from './workspace.service';

const DECLINE_LABELS = {
  not_my_territory: 'Hors de mon territoire',
  not_my_expertise: 'Hors de mon expertise',
  unavailable: 'Indisponible',
};
/** Staff read the statuses from their side (the buyer's labels speak to the buyer). */
export const STAFF_STATUS_LABELS = { ...STATUS_LABELS, awaiting_buyer: 'En attente de l’acheteur' };
const EMPTY_ITEMS = 3;

type Queue = Awaited<ReturnType<WorkspaceService['queue']>>;
type Page = Awaited<ReturnType<WorkspaceService['requestPage']>>;

/** Labels and choices for the workspace pages: the templates only lay them out. */
@Injectable()
export class WorkspaceViews {
  constructor(private readonly reference: ReferenceService) {}

  queuePage(staff: StaffPrincipal, filters: QueueFilters, queue: Queue) {
    const query = (change: Record<string, unknown>) => {
      const params = new URLSearchParams();
      const all = {
        tab: filters.tab,
        status: filters.status,
        kind: filters.kind,
        segment: filters.segment,
        department: filters.department,
        late: filters.lateOnly ? '1' : null,
        ...change,
      };
      for (const [key, value] of Object.entries(all)) if (value) params.set(key, String(value));
      return `/espace?${params.toString()}`;
    };
    return {
      title: filters.tab === 'pool' ? 'Réserve' : 'Mes demandes',
      filters,
      queue: {
        ...queue,
        items: queue.items.map((item) => ({
          ...item,
          statusLabel: STAFF_STATUS_LABELS[item.status],
          kindLabel: KIND_LABELS[item.kind],
          department: this.departmentLabel(item.departmentCode),
          segment: this.reference.segment(item.segmentCode)?.label ?? item.segmentCode,
        })),
      },
      tabs: [
        {
          value: 'mine',
          label: staff.role === 'facilitator' ? 'Mes demandes' : staff.role === 'admin' ? 'Toutes les demandes' : 'Demandes de mes réseaux',
          count: queue.counts.mine,
          url: query({ tab: 'mine', status: null, page: null }),
        },
        { value: 'pool', label: 'Réserve', count: queue.counts.pool, url: query({ tab: 'pool', status: null, page: null }) },
      ],
      statusOptions: REQUEST_STATUSES.map((s) => ({ value: s, label: STAFF_STATUS_LABELS[s], count: queue.counts.byStatus[s] ?? 0 })),
      kindOptions: REQUEST_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
      segmentOptions: this.reference.allSegments().map((s) => ({ value: s.code, label: s.label })),
      departmentOptions: this.reference.allDepartments().map((d) => ({ value: d.code, label: `${d.code} — ${d.name}` })),
      previousUrl: queue.page > 1 ? query({ page: queue.page - 1 }) : null,
      nextUrl: queue.page < queue.pages ? query({ page: queue.page + 1 }) : null,
    };
  }

  requestPage(page: Page) {
    const { request } = page;
    return {
      ...page,
      title: `Demande ${request.reference}`,
      statusLabel: STAFF_STATUS_LABELS[request.status],
      statusLabels: STAFF_STATUS_LABELS,
      closeReasonLabel: request.closeReason ? CLOSE_REASON_LABELS[request.closeReason] : null,
      kindLabel: KIND_LABELS[request.kind],
      department: this.departmentLabel(request.departmentCode),
      segment: this.reference.segment(request.segmentCode)?.label ?? request.segmentCode,
      stage: PURCHASE_STAGE_LABELS[request.purchaseStage as PurchaseStage],
      organisationType: ORGANISATION_TYPE_LABELS[request.organisationType as OrganisationType],
      messageKindLabels: MESSAGE_KIND_LABELS,
      helpItemLabels: HELP_ITEM_TYPE_LABELS,
      referralLabels: REFERRAL_TARGET_LABELS,
      declineReasons: DECLINE_REASONS.map((value) => ({ value, label: DECLINE_LABELS[value] })),
      closeReasons: page.actions.closeReasons.map((value) => ({ value, label: CLOSE_REASON_LABELS[value] })),
      helpItemTypes: HELP_ITEM_TYPES.map((value) => ({ value, label: HELP_ITEM_TYPE_LABELS[value] })),
      referralTargets: REFERRAL_TARGETS.map((value) => ({ value, label: REFERRAL_TARGET_LABELS[value] })),
      legalReferences: this.reference.allLegalReferences().map((l) => ({ value: l.code, label: l.label })),
      itemSlots: [...Array(EMPTY_ITEMS).keys()],
      forms: Object.fromEntries(['decline', 'note', 'clarify', 'answer', 'close'].map((name) => [name, formModel()])),
    };
  }

  private departmentLabel(code: string): string {
    return `${code} — ${this.reference.department(code)?.name ?? ''}`;
  }
}
