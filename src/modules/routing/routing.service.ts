import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Clock, parisDay } from '../../common/clock';
import { LOGGER } from '../../common/logging/logging.module';
import { randomToken, sha256 } from '../../common/tokens';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { OutboxRepository } from '../../queue/outbox.repository';
import { MailService } from '../mail/mail.service';
import { ReferenceService } from '../reference/reference.service';
import { KIND_LABELS, RequestStatus } from '../requests/request.types';
import { NewRequestEvent, RequestsRepository } from '../requests/requests.repository';
import { rankFacilitators } from './ranking.policy';
import type { AssignmentEndReason, DeclineReason } from './request-assignment.entity';
import { RoutableRequest, ROUTABLE_STATUSES, RoutingRepository } from './routing.repository';
import { addWorkingDays } from './working-days.policy';

/** After this many missed take-charge deadlines, the network's animators are told. */
const ESCALATION_MISSES = 2;
const POOL_BATCH = 200;
/** Longer deadlines are left to the minute sweep: a timer fired early finds the deadline not yet due. */
const MAX_TIMER_MS = 7 * 24 * 3600 * 1000;

export type RoutingOutcome = 'assigned' | 'unassigned' | 'unchanged';

/**
 * Puts each request with one facilitator: the right kind and territory, present, below capacity,
 * ranked by the policy. Every decision runs in one transaction that holds the request's row lock,
 * and writes the assignment, its history event, its e-mails and its timer together.
 */
@Injectable()
export class RoutingService {
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: RoutingRepository,
    private readonly requests: RequestsRepository,
    private readonly outbox: OutboxRepository,
    private readonly mail: MailService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'routing' });
  }

  /** Idempotent: a request already assigned, or further along, is left as it is. */
  async route(requestId: string): Promise<RoutingOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.routing.lockRequest(manager, requestId);
      if (!request || !ROUTABLE_STATUSES.includes(request.status)) return 'unchanged';
      return this.assign(manager, request);
    });
  }

  /** The take-charge deadline fired: if still not taken, the request moves to the next facilitator. */
  async deadlineReached(requestId: string, assignmentId: string): Promise<void> {
    const freed = await this.dataSource.transaction(async (manager) => {
      const request = await this.routing.lockRequest(manager, requestId);
      const current = request && (await this.routing.currentAssignment(manager, requestId));
      if (!request || !current || current.id !== assignmentId || current.takenAt) return null;
      const now = this.clock.now();
      // A job delivered early (or a clock moved back) changes nothing; the sweep comes back later.
      if (current.takeChargeDueAt > now) return null;
      const misses = request.deadlineMisses + 1;
      const statements = this.release(
        request,
        current.id,
        current.facilitatorId,
        'deadline_missed',
        { type: 'deadline_missed', reason: `Délai de prise en charge dépassé (${misses}ᵉ fois)` },
        { deadlineMisses: misses },
      );
      const facilitator = await this.routing.facilitatorContact(manager, current.facilitatorId);
      if (facilitator) {
        statements.push(
          ...this.mail.prepare({
            requestId: request.id,
            template: 'assignment-withdrawn',
            recipient: facilitator.email,
            subject: `Demande ${request.reference} confiée à un autre facilitateur`,
            context: { firstName: facilitator.firstName, reference: request.reference, subject: request.subject, why: 'deadline' },
          }),
        );
      }
      if (misses >= ESCALATION_MISSES) statements.push(...(await this.networkAlert(manager, request, 'network-escalation', misses)));
      await runAsOne(manager, statements);
      await this.assign(manager, { ...request, status: 'submitted', deadlineMisses: misses });
      return current.facilitatorId;
    });
    if (freed) await this.scheduleDrains(freed);
  }

  /** The facilitator declines from the link in the assignment e-mail; the request goes to someone else. */
  async decline(requestId: string, assignmentId: string, reason: DeclineReason): Promise<boolean> {
    const freed = await this.dataSource.transaction(async (manager) => {
      const request = await this.routing.lockRequest(manager, requestId);
      const current = request && (await this.routing.currentAssignment(manager, requestId));
      if (!request || !current || current.id !== assignmentId || current.takenAt) return null;
      await runAsOne(
        manager,
        this.release(
          request,
          current.id,
          current.facilitatorId,
          'declined',
          { type: 'declined', reason: DECLINE_LABELS[reason], actorType: 'staff', actorId: current.facilitatorId },
          { declineReason: reason },
        ),
      );
      await this.assign(manager, { ...request, status: 'submitted' });
      return current.facilitatorId;
    });
    if (freed) await this.scheduleDrains(freed);
    return freed !== null;
  }

  /** From the assignment e-mail's link, until the workspace exists: assigned → in progress. */
  async takeCharge(requestId: string, assignmentId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.routing.lockRequest(manager, requestId);
      const current = request && (await this.routing.currentAssignment(manager, requestId));
      if (!request || !current || current.id !== assignmentId || current.takenAt || request.status !== 'assigned') return false;
      await runAsOne(manager, [
        this.routing.markTakenStatement(current.id, this.clock.now()),
        this.routing.requestStateStatement(request.id, { status: 'in_progress', assignedFacilitatorId: current.facilitatorId }),
        this.requests.eventStatement(
          event(request, 'taken_in_charge', 'in_progress', { isPublic: true, actorType: 'staff', actorId: current.facilitatorId }),
        ),
      ]);
      return true;
    });
  }

  /**
   * A facilitator's availability changed. If absent or inactive today, the requests they have not
   * taken in charge move on; in every case the pools they serve may now drain.
   */
  async facilitatorChanged(facilitatorId: string): Promise<void> {
    if (await this.routing.facilitatorUnavailableToday(facilitatorId, parisDay(this.clock.now()))) {
      for (const requestId of await this.routing.untakenRequestsOf(facilitatorId)) {
        await this.dataSource.transaction(async (manager) => {
          const request = await this.routing.lockRequest(manager, requestId);
          const current = request && (await this.routing.currentAssignment(manager, requestId));
          if (!request || !current || current.facilitatorId !== facilitatorId || current.takenAt) return;
          await runAsOne(
            manager,
            this.release(request, current.id, facilitatorId, 'absence', {
              type: 'reassigned',
              reason: 'Facilitateur absent ou indisponible',
            }),
          );
          await this.assign(manager, { ...request, status: 'submitted' });
        });
      }
    }
    await this.scheduleDrains(facilitatorId);
  }

  /** Assigns the network's pool, oldest first, as far as capacity allows. */
  async drainPool(networkCode: string): Promise<number> {
    let assigned = 0;
    if (!(await this.routing.networkHasFreeCapacity(networkCode))) return 0;
    for (const requestId of await this.routing.pool(networkCode, POOL_BATCH)) {
      if ((await this.route(requestId)) === 'assigned') assigned++;
    }
    if (assigned) this.logger.info({ networkCode, assigned }, 'réserve de demandes en partie attribuée');
    return assigned;
  }

  /** Picks the best facilitator the policy allows and claims a place in their capacity. */
  private async assign(manager: EntityManager, request: RoutableRequest): Promise<RoutingOutcome> {
    const now = this.clock.now();
    const { candidates, excluded } = await this.routing.candidates(manager, request, parisDay(now));
    for (const candidate of rankFacilitators(request, candidates, excluded)) {
      const facilitator = await this.routing.claimCapacity(manager, candidate.id, now);
      if (!facilitator) continue; // filled up by a concurrent claim since the candidates were read
      const assignmentId = randomUUID();
      const token = randomToken();
      const dueAt = addWorkingDays(now, this.config.TAKE_CHARGE_WORKING_DAYS, request.departmentCode);
      await runAsOne(manager, [
        this.routing.insertAssignmentStatement({
          id: assignmentId,
          requestId: request.id,
          facilitatorId: facilitator.id,
          assignedAt: now,
          takeChargeDueAt: dueAt,
          actionTokenHash: sha256(token),
        }),
        this.routing.requestStateStatement(request.id, { status: 'assigned', assignedFacilitatorId: facilitator.id }),
        this.requests.eventStatement(event(request, 'assigned', 'assigned', { isPublic: true })),
        ...this.mail.prepare({
          requestId: request.id,
          template: 'facilitator-assignment',
          recipient: facilitator.email,
          subject: `Nouvelle demande ${request.reference} : ${request.subject}`,
          context: {
            firstName: facilitator.firstName,
            reference: request.reference,
            subject: request.subject,
            kindLabel: KIND_LABELS[request.kind],
            department: `${request.departmentCode} — ${this.reference.department(request.departmentCode)?.name ?? ''}`,
            segment: this.reference.segment(request.segmentCode)?.label ?? request.segmentCode,
            dueAt,
            actionUrl: `${this.config.PUBLIC_URL}/affectation/${assignmentId}?t=${token}`,
          },
        }),
        this.outbox.addStatement(
          'routing.deadline',
          { requestId: request.id, assignmentId },
          `deadline-${assignmentId}`,
          Math.min(Math.max(0, dueAt.getTime() - now.getTime()), MAX_TIMER_MS),
        ),
      ]);
      return 'assigned';
    }
    if (request.status === 'unassigned') return 'unchanged';
    await runAsOne(manager, [
      this.routing.requestStateStatement(request.id, { status: 'unassigned', assignedFacilitatorId: null }),
      this.requests.eventStatement(
        event(request, 'unassigned', 'unassigned', { isPublic: true, reason: 'Aucun facilitateur disponible pour le moment' }),
      ),
      ...(await this.networkAlert(manager, request, 'network-pool-alert', request.deadlineMisses)),
    ]);
    return 'unassigned';
  }

  /**
   * Ends an assignment, frees the facilitator's place, puts the request back to be routed and
   * records why: statements to run together, before routing it again.
   */
  private release(
    request: RoutableRequest,
    assignmentId: string,
    facilitatorId: string,
    endReason: AssignmentEndReason,
    history: Partial<NewRequestEvent> & { type: string },
    extra: { declineReason?: DeclineReason; deadlineMisses?: number } = {},
  ): SqlStatement[] {
    return [
      this.routing.endAssignmentStatement(assignmentId, endReason, this.clock.now(), extra.declineReason ?? null),
      this.routing.releaseCapacityStatement(facilitatorId),
      this.routing.requestStateStatement(request.id, {
        status: 'submitted',
        assignedFacilitatorId: null,
        deadlineMisses: extra.deadlineMisses,
      }),
      this.requests.eventStatement(event(request, history.type, 'submitted', { ...history, isPublic: false })),
    ];
  }

  private async networkAlert(
    manager: EntityManager,
    request: RoutableRequest,
    template: 'network-pool-alert' | 'network-escalation',
    misses: number,
  ): Promise<SqlStatement[]> {
    const network = await this.routing.networkContact(manager, request.networkCode);
    if (!network?.contactEmail) {
      this.logger.warn({ networkCode: request.networkCode, template }, 'réseau sans adresse de contact : alerte non envoyée');
      return [];
    }
    return this.mail.prepare({
      requestId: request.id,
      template,
      recipient: network.contactEmail,
      subject:
        template === 'network-pool-alert'
          ? `Demande ${request.reference} en attente : aucun facilitateur disponible`
          : `Demande ${request.reference} : délai de prise en charge dépassé ${misses} fois`,
      context: {
        networkName: network.name,
        reference: request.reference,
        subject: request.subject,
        kindLabel: KIND_LABELS[request.kind],
        department: `${request.departmentCode} — ${this.reference.department(request.departmentCode)?.name ?? ''}`,
        misses,
      },
    });
  }

  /** Capacity freed somewhere: the pools of the networks this facilitator serves get a chance. */
  private async scheduleDrains(facilitatorId: string): Promise<void> {
    const networks = await this.routing.networksServedBy(facilitatorId);
    await runAsOne(
      this.dataSource,
      networks.map((networkCode) =>
        this.outbox.addStatement('routing.drain-pool', { networkCode }, `drain-${networkCode}-${randomUUID()}`),
      ),
    ).catch((error: Error) => this.logger.warn({ err: error.message }, 'vidage de la réserve non planifié, le balayage s’en chargera'));
  }
}

const DECLINE_LABELS: Record<DeclineReason, string> = {
  not_my_territory: 'Décliné : hors de mon territoire',
  not_my_expertise: 'Décliné : hors de mon expertise',
  unavailable: 'Décliné : indisponible',
};

function event(request: RoutableRequest, type: string, toStatus: RequestStatus, extra: Partial<NewRequestEvent> = {}): NewRequestEvent {
  return {
    requestId: request.id,
    type,
    fromStatus: request.status,
    toStatus,
    actorType: 'system',
    actorId: null,
    reason: null,
    isPublic: false,
    ...extra,
  };
}
