import { Injectable } from '@nestjs/common';
import { NotFound } from '../../common/errors/app-errors';
import { tokenMatches } from '../../common/tokens';
import { AdviceRequest, RequestEvent } from './request.entities';
import { KIND_LABELS, PURCHASE_STAGE_LABELS, STATUS_LABELS } from './request.types';
import { RequestsRepository } from './requests.repository';

/** What the buyer's private link shows, and nothing more (no internal notes, no staff identities). */
export interface TrackedRequest {
  reference: string;
  status: string;
  statusLabel: string;
  kind: string;
  kindLabel: string;
  segment: string;
  segmentLabel: string;
  departmentCode: string;
  departmentName: string;
  purchaseStageLabel: string;
  subject: string;
  question: string;
  submittedAt: string;
  history: Array<{ at: string; type: string; label: string; toStatus: string | null }>;
  /** Once assigned: who answers, by first name only, and for which network. */
  facilitator: { firstName: string; network: string } | null;
}

const EVENT_LABELS: Record<string, string> = {
  submitted: 'Demande reçue',
  assigned: 'Confiée à un facilitateur',
  unassigned: 'En attente d’un facilitateur disponible',
  taken_in_charge: 'Prise en charge par le facilitateur',
};

@Injectable()
export class TrackingService {
  constructor(private readonly requests: RequestsRepository) {}

  /** Unknown reference and wrong token answer alike, so a reference alone reveals nothing. */
  async findForBuyer(reference: string, token: string | undefined): Promise<TrackedRequest> {
    const request = await this.authorise(reference, token);
    const [history, facilitator] = await Promise.all([
      this.requests.publicHistory(request.id),
      request.assignedFacilitatorId ? this.requests.facilitatorShownToBuyer(request.assignedFacilitatorId) : null,
    ]);
    return toTracked(request, history, facilitator);
  }

  /** The request the buyer's link opens; anything else is the same 404, for every route the link leads to. */
  async authorise(reference: unknown, token: unknown): Promise<AdviceRequest> {
    const request = typeof reference === 'string' && reference.length <= 20 ? await this.requests.findByReference(reference) : null;
    if (!request || typeof token !== 'string' || !token || !tokenMatches(token, request.trackingTokenHash)) throw new NotFound();
    return request;
  }
}

function toTracked(request: AdviceRequest, events: RequestEvent[], facilitator: TrackedRequest['facilitator']): TrackedRequest {
  return {
    reference: request.reference,
    status: request.status,
    statusLabel: STATUS_LABELS[request.status],
    kind: request.kind,
    kindLabel: KIND_LABELS[request.kind],
    segment: request.segmentCode,
    segmentLabel: request.segment?.label ?? request.segmentCode,
    departmentCode: request.departmentCode,
    departmentName: request.department?.name ?? '',
    purchaseStageLabel: PURCHASE_STAGE_LABELS[request.purchaseStage],
    subject: request.subject,
    question: request.question,
    submittedAt: request.createdAt.toISOString(),
    history: events.map((e) => ({
      at: e.createdAt.toISOString(),
      type: e.type,
      label: EVENT_LABELS[e.type] ?? (e.toStatus ? STATUS_LABELS[e.toStatus] : e.type),
      toStatus: e.toStatus,
    })),
    facilitator,
  };
}
