import { lastDayOf, takeChargeDueAt } from '../../common/working-days.policy';
import { LEFT_DRAFTS_PATH } from '../answer-drafts/answer-draft.policy';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logging.module';
import { transactionRetryingDeadlocks } from '../../database/deadlock-retry';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { OutboxRepository, timerDelayMs } from '../../queue/outbox.repository';
import type { JobPayloads } from '../../queue/queue.registry';
import { BuyerNotificationsService } from '../buyer-notifications/buyer-notifications.service';
import { MailService } from '../mail/mail.service';
import { milestoneOf } from '../requests/milestone.policy';
import { ReferenceService } from '../reference/reference.service';
import { answerDueAt, Pause, pausesFromHistory } from '../requests/answer-deadline.policy';
import { HANDED_OVER_EVENT, KIND_LABELS, otherKind, RequestStatus } from '../requests/request.types';
import { transition } from '../requests/request-state.policy';
import { autoCloseAt } from '../requests/reply-window.policy';
import { NewRequestEvent, RequestsRepository } from '../requests/requests.repository';
import { AppError, ValidationFailed } from '../../common/errors/app-errors';
import {
  coordinatorFallbackDetail,
  coordinatorFallbackText,
  followedReferenceHeldBy,
  followUpHolderText,
  IneligibilityReason,
  letGoText,
  oldestFirst,
  rankFacilitators,
  waitingReasonText,
  PoolWait,
  waitsForSomeone,
  whyCoordinatorFallback,
  whyNotEligible,
  whyWaiting,
} from './ranking.policy';
import { answerReminderAt, Reminder, takeChargeReminderAt } from './reminders.policy';
import { assignmentSubject } from './assignment-mail.policy';
import { afterNetworkWord, requestInSubject } from '../../common/french-format';
import type { AssignmentEndReason, DeclineReason } from './request-assignment.entity';
import {
  AnswerDeadline,
  AwayCause,
  ClaimableFacilitator,
  CurrentAssignment,
  DueReminder,
  HeldAssignment,
  NewAssignment,
  RoutableRequest,
  RoutingRepository,
} from './routing.repository';
import { ESCALATION_MISSES } from './escalation.policy';
import { BeyondCapacity, beyondCapacityQuestion, BeyondCapacityUnconfirmed, chosenVerdict } from './beyond-capacity.policy';
import { networkDigestAt, networkDigestGoesAt, networkDigestMails } from './network-digest.policy';

/** Requests routed in one transaction: fewer round trips per request, short enough locks. */
const ROUTING_BATCH = 50;
/** Requests listed in one pool digest; more wait for the next one. */
const POOL_ALERT_LIMIT = 100;
/** A drain job stops after this many batches; the next freed place schedules another. */
const POOL_BATCHES = 4;

export type RoutingOutcome = 'assigned' | 'unassigned' | 'unchanged';

/** A colleague a request may be handed to, as the give-back form lists them. */
export interface Colleague {
  id: string;
  name: string;
  openCount: number;
  capacity: number;
}

/**
 * A request staff gave to a facilitator: by whom, why, whether someone had already begun it, and whether staff let
 * routing choose (`rerouted`: the e-mail must not say they chose this facilitator, and tells a regional fallback).
 */
export interface HandOver {
  by: string;
  reason: string;
  resumed: boolean;
  rerouted: boolean;
}

/** The history line of a choice by name, in place of routing's own. */
type ChosenHistory = Pick<NewRequestEvent, 'type' | 'actorType' | 'actorId' | 'reason'> & Partial<Pick<NewRequestEvent, 'isPublic'>>;

/** An assignment decided in memory, with what its e-mail needs. */
/** A moved answer deadline: the statement that keeps it, and the new date to tell the facilitator (null: never taken). */
type MovedAnswerDeadline = { statements: SqlStatement[]; answerDueAt: Date | null };

/** `fallback`: why routing gave a social-clause request to the région's coordinator, for its history line and e-mail. */
type PlannedAssignment = NewAssignment & {
  request: RoutableRequest;
  facilitator: ClaimableFacilitator;
  fallback?: PoolWait | null;
  /** Routing gave a follow-up to the holder of the earlier request: its history line says so. */
  followUp?: string | null;
  /** An assignment of this facilitator's to this request ended before: their e-mail says it comes back. */
  heldBefore?: boolean;
};

/** Why routing chose this facilitator, when it says so: the follow-up's holder, the région's coordinator; null otherwise. */
function routedWhy(a: PlannedAssignment): string | null {
  const reasons = [a.followUp, a.fallback && coordinatorFallbackText(a.fallback)].filter((reason): reason is string => !!reason);
  return reasons.length ? reasons.join('. ') : null;
}

/** A request falling into the pool, and why nobody could take it. */
type Unplaced = { request: RoutableRequest; wait: PoolWait };

/** Why a pooled request waits, as staff read it; `stuck`: it will not leave the pool until someone acts. */
export interface WaitingExplained {
  text: string;
  stuck: boolean;
}

/** The e-mail of each deadline a facilitator is reminded of (reminders.policy), when it is the only one due. */
type Named = { reference: string; subject: string };
const REMINDERS: Record<Reminder, { template: string; subject: (request: Named) => string }> = {
  take_charge: {
    template: 'take-charge-reminder',
    subject: (r) => `Rappel : la demande ${requestInSubject(r.reference, r.subject)} attend votre prise en charge`,
  },
  answer: {
    template: 'answer-reminder',
    subject: (r) => `Rappel : la réponse à la demande ${requestInSubject(r.reference, r.subject)} est attendue`,
  },
};

/**
 * The deadline a reminder tells of, when it is due now: to take the request in charge while not taken, to answer it
 * while in progress. Null once sent (cleared), not due yet, or when the deadline itself has passed.
 */
function reminderDeadline(request: RoutableRequest, current: CurrentAssignment, reminder: Reminder, now: Date): Date | null {
  const due =
    reminder === 'take_charge'
      ? !current.takenAt && { at: current.takeChargeReminderAt, deadline: current.takeChargeDueAt }
      : request.status === 'in_progress' && { at: current.answerReminderAt, deadline: current.answerDueAt };
  return due && due.at && due.deadline && due.at <= now && due.deadline > now ? due.deadline : null;
}

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
    private readonly buyerNotifications: BuyerNotificationsService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'routing' });
  }

  /** Idempotent: a request already assigned, pooled, or further along, is left as it is. */
  async route(requestId: string): Promise<RoutingOutcome> {
    if (!(await this.routing.awaitingRouting([requestId])).length) return 'unchanged';
    const [outcome] = await this.routeBatch([requestId]);
    return outcome ?? 'unchanged';
  }

  /**
   * Requests submitted together (one job from the outbox relay), ROUTING_BATCH per transaction,
   * oldest first; those no longer waiting are left as they are.
   */
  async routeAll(requestIds: string[]): Promise<void> {
    for (const batch of inBatches(await this.routing.awaitingRouting(requestIds))) await this.routeBatch(batch);
  }

  /** Routes those of these requests still waiting, oldest first; their outcomes in that order. */
  private async routeBatch(requestIds: string[]): Promise<RoutingOutcome[]> {
    return transactionRetryingDeadlocks(this.dataSource, async (manager) =>
      this.assign(manager, (await this.routing.lockSubmitted(manager, requestIds)).sort(oldestFirst)),
    );
  }

  /**
   * A take-charge deadline's timer fired: that request, if still not taken, moves to the next facilitator, and with it
   * the others of its holder whose deadline has passed too (a weekend's fall due together): one e-mail tells them all.
   */
  async deadlineReached(assignmentId: string): Promise<void> {
    await this.deadlinesReached(await this.routing.overdueAssignments(this.clock.now(), ROUTING_BATCH, assignmentId));
  }

  /**
   * Take-charge deadlines passed (the sweep's, or a timer's): each request not taken in charge by then leaves its
   * facilitator and is routed on. Those of one facilitator ROUTING_BATCH per transaction and e-mail: a sweep after
   * downtime may list hundreds, too many to lock at once.
   */
  async deadlinesReached(overdue: readonly HeldAssignment[]): Promise<void> {
    for (const [facilitatorId, assignments] of byFacilitator(overdue)) {
      for (const batch of inBatches(assignments)) await this.withdrawOverdue(facilitatorId, batch);
    }
  }

  /**
   * One facilitator's requests whose take-charge deadline passed, under their locks (id order): each released and
   * routed on, the facilitator told in the same transaction — that request's own e-mail when one alone, else one listing
   * them all. Nothing for a request that moved on meanwhile (taken in charge, another holder, another worker's).
   */
  private async withdrawOverdue(facilitatorId: string, overdue: HeldAssignment[]): Promise<void> {
    const assignmentOf = new Map(overdue.map((o) => [o.requestId, o.assignmentId]));
    // Deadlines falling due together (a weekend's requests, a sweep after downtime) route side by side: a deadlock
    // the lock order below should prevent is run again rather than failing the job.
    const freed = await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const missed: Array<{ request: RoutableRequest; current: CurrentAssignment; misses: number }> = [];
      for (const request of await this.routing.lockRequests(manager, [...assignmentOf.keys()])) {
        const current = await this.routing.currentAssignment(manager, request.id);
        // A job delivered early (or a clock moved back) changes nothing; the sweep comes back later.
        if (current && current.id === assignmentOf.get(request.id) && !current.takenAt && current.takeChargeDueAt <= now) {
          missed.push({ request, current, misses: request.deadlineMisses + 1 });
        }
      }
      if (!missed.length) return false;
      missed.sort((a, b) => oldestFirst(a.request, b.request));
      const requests = missed.map(({ request }) => request);
      await this.routing.lockPlaces(manager, requests, [facilitatorId]);
      // One statement per request: the facilitator's row updated by several parts of one statement frees one place only.
      for (const { request, current, misses } of missed) {
        await runAsOne(manager, [
          ...this.release(
            request,
            current,
            'deadline_missed',
            { type: 'deadline_missed', reason: `Délai de prise en charge dépassé (${misses === 1 ? '1re' : `${misses}e`} fois)` },
            { deadlineMisses: misses },
          ),
          ...(misses >= ESCALATION_MISSES ? this.escalationStatements(request, misses) : []),
        ]);
      }
      const outcomes = await this.assign(
        manager,
        missed.map(({ request, misses }) => ({ ...request, status: 'submitted', deadlineMisses: misses })),
      );
      const facilitator = await this.routing.facilitatorContact(manager, facilitatorId);
      if (facilitator) await runAsOne(manager, this.overdueWithdrawnMail(requests, outcomes, facilitator));
      return true;
    });
    if (freed) await this.scheduleDrains(facilitatorId);
  }

  /**
   * What a facilitator reads of the requests their take-charge deadline took from them: one alone, its own e-mail;
   * several, one listing each and where it is now (another facilitator's, unnamed as in the single one, or the pool).
   */
  private overdueWithdrawnMail(
    requests: RoutableRequest[],
    outcomes: RoutingOutcome[],
    facilitator: { email: string; firstName: string },
  ): SqlStatement[] {
    if (requests.length === 1) return this.withdrawnMail(requests[0], facilitator, 'deadline');
    return this.mail.prepare({
      requestId: null,
      template: 'facilitator-withdrawals',
      recipient: facilitator.email,
      subject: `${requests.length} demandes vous sont retirées : leur délai de prise en charge est passé`,
      context: {
        firstName: facilitator.firstName,
        requests: requests.map((request, i) => ({
          reference: request.reference,
          subject: request.subject,
          reassigned: outcomes[i] === 'assigned',
        })),
        queueUrl: `${this.config.PUBLIC_URL}/espace`,
      },
    });
  }

  /**
   * Reminds each facilitator of the deadlines due (the sweep's), once each, when reminders.policy said: to take a
   * request in charge while not taken, to answer while in progress. Those of one facilitator go in one e-mail.
   */
  async remind(due: readonly DueReminder[]): Promise<void> {
    for (const [facilitatorId, reminders] of byFacilitator(due)) await this.remindFacilitator(facilitatorId, reminders);
  }

  /**
   * One facilitator's reminders, under their requests' locks, each marked sent with the e-mail: that request's own
   * when one alone is due, else one listing them all. Nothing for a request that moved on meanwhile (another holder,
   * taken in charge, reminded by another worker), or whose deadline itself has passed.
   */
  private async remindFacilitator(facilitatorId: string, due: DueReminder[]): Promise<void> {
    await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
      const requests = new Map(
        (await this.routing.lockRequests(manager, [...new Set(due.map((d) => d.requestId))])).map((request) => [request.id, request]),
      );
      const now = this.clock.now();
      const reminded: Array<{ request: RoutableRequest; assignmentId: string; reminder: Reminder; deadline: Date }> = [];
      for (const { requestId, assignmentId, reminder } of due) {
        const request = requests.get(requestId);
        const current = request && (await this.routing.currentAssignment(manager, requestId));
        if (!request || current?.id !== assignmentId) continue;
        const deadline = reminderDeadline(request, current, reminder, now);
        if (deadline) reminded.push({ request, assignmentId, reminder, deadline });
      }
      if (!reminded.length) return;
      reminded.sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.request.reference.localeCompare(b.request.reference));
      const facilitator = await this.routing.facilitatorContact(manager, facilitatorId);
      const listed = reminded.map(({ request, reminder, deadline }) => ({
        reminder,
        reference: request.reference,
        subject: request.subject,
        dueAt: deadline,
        neededBy: request.neededBy ?? null,
        departmentCode: request.departmentCode,
        actionUrl: `${this.config.PUBLIC_URL}/espace/demandes/${encodeURIComponent(request.reference)}`,
      }));
      const [only] = reminded;
      await runAsOne(manager, [
        this.routing.remindersSentStatement(reminded),
        ...(facilitator
          ? this.mail.prepare(
              reminded.length === 1
                ? {
                    requestId: only.request.id,
                    template: REMINDERS[only.reminder].template,
                    recipient: facilitator.email,
                    subject: REMINDERS[only.reminder].subject(only.request),
                    context: { firstName: facilitator.firstName, ...listed[0] },
                  }
                : {
                    requestId: null,
                    template: 'facilitator-reminders',
                    recipient: facilitator.email,
                    subject: `Rappel : ${reminded.length} de vos demandes arrivent à échéance`,
                    context: {
                      firstName: facilitator.firstName,
                      requests: listed,
                      toTakeCharge: reminded.some((r) => r.reminder === 'take_charge'),
                      toAnswer: reminded.some((r) => r.reminder === 'answer'),
                    },
                  },
            )
          : []),
      ]);
    });
  }

  /**
   * The facilitator declines from the workspace: before taking it in charge, or after (`givingBack`: its note tells
   * the next one where it stands; to a colleague of their choice, or routing's; the buyer is told). It goes to someone
   * else, never back to them. Answers whether someone has it now or it waits in the pool; null when the page changed
   * meanwhile (taken in charge since the form showed, no longer theirs, answered).
   */
  async decline(
    requestId: string,
    assignmentId: string,
    reason: DeclineReason,
    givingBack: { note: string; colleagueId: string | null } | null = null,
  ): Promise<'assigned' | 'unassigned' | null> {
    const done = await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
      const request = await this.routing.lockRequest(manager, requestId);
      const current = request && (await this.routing.currentAssignment(manager, requestId));
      if (!request || !current || current.id !== assignmentId) return null;
      // Taken in charge since the form showed (or not yet), or answered meanwhile: the page changed.
      if ((current.takenAt !== null) !== (givingBack !== null) || (givingBack && !transition(request, 'give_back').allowed)) return null;
      await this.routing.lockPlaces(manager, [request], [current.facilitatorId]);
      const actor = { actorType: 'staff', actorId: current.facilitatorId } as const;
      await runAsOne(
        manager,
        this.release(
          request,
          current,
          'declined',
          givingBack
            ? { type: 'given_back', reason: `${GIVE_BACK_LABELS[reason]} : ${givingBack.note}`, ...actor }
            : { type: 'declined', reason: DECLINE_LABELS[reason], ...actor },
          { declineReason: reason },
        ),
      );
      if (!givingBack) {
        const [outcome] = await this.assign(manager, [{ ...request, status: 'submitted' }]);
        return { freed: current.facilitatorId, placed: outcome === 'assigned' };
      }
      // Read again: the next facilitator's e-mail quotes the give-back's history line, written just now.
      const released = (await this.routing.lockRequest(manager, requestId))!;
      let placed = true;
      if (givingBack.colleagueId) {
        await this.handToColleague(manager, released, givingBack.colleagueId, current.facilitatorId, givingBack.note);
      } else {
        placed = (await this.assign(manager, [released], { handedOver: true }))[0] === 'assigned';
      }
      // The buyer saw it in progress: told who takes it over, or that it waits for someone.
      const to = placed ? 'assigned' : 'unassigned';
      await runAsOne(manager, this.handedOverStatements(request, to, handedOverReason(to)));
      return { freed: current.facilitatorId, placed };
    });
    if (!done) return null;
    await this.scheduleDrains(done.freed);
    return done.placed ? 'assigned' : 'unassigned';
  }

  /**
   * The colleagues a holder giving a request back may hand it to themself: able to take it now (kind, territory,
   * active, present, with room), not them, none who let it go before. Read without locks: assignChosen decides again.
   */
  async colleaguesFor(requestId: string, holderId: string): Promise<Colleague[]> {
    const request = await this.routing.readRequest(requestId);
    if (!request) return [];
    const [candidates, exclusions] = await Promise.all([
      this.routing.readCandidates([request], this.reference.networkDays(this.clock.now())),
      this.routing.exclusions(this.dataSource.manager, [requestId]),
    ]);
    const excluded = exclusions.get(requestId) ?? new Set<string>();
    return candidates
      .filter((f) => f.id !== holderId && !excluded.has(f.id) && whyNotEligible(request, f) === null)
      .map((f) => ({ id: f.id, name: `${f.firstName} ${f.lastName}`, openCount: f.openCount, capacity: f.capacity }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }

  /** A give-back to a colleague the holder chose: refused (409, by field) if they cannot take it now. */
  private async handToColleague(
    manager: EntityManager,
    request: RoutableRequest,
    colleagueId: string,
    holderId: string,
    note: string,
  ): Promise<void> {
    const refuse = (message: string) => new AppError('conflict', message, [{ field: 'facilitatorId', message }]);
    if (colleagueId === holderId)
      throw refuse('Vous ne pouvez pas vous la confier : choisissez un collègue, ou l’attribution automatique.');
    if (!(await this.routing.facilitatorContact(manager, colleagueId))) {
      throw new ValidationFailed([{ field: 'facilitatorId', message: 'Choisissez un collègue de la liste.' }]);
    }
    // As the list leaves them out: whoever let it go before (declined, gave it back, let its deadline pass).
    if ((await this.routing.exclusions(manager, [request.id])).get(request.id)?.has(colleagueId)) {
      throw refuse('Ce collègue a déjà eu cette demande : choisissez-en un autre, ou l’attribution automatique.');
    }
    const holder = await this.routing.facilitatorContact(manager, holderId);
    const by = holder?.firstName ?? 'Un collègue';
    await this.assignChosen(
      manager,
      request,
      colleagueId,
      { type: 'reassigned', actorType: 'staff', actorId: holderId, reason: `Confiée par ${by}, qui l’a rendue`, isPublic: false },
      { handOver: { by, reason: note, resumed: true, rerouted: false } },
    );
  }

  /**
   * From the workspace: assigned → in progress (false if the assignment is no longer the current, untaken one), after
   * `refuseIfChanged` (the workspace's seen-state check, which knows who asks and what they may learn) under the lock.
   */
  async takeCharge(
    requestId: string,
    assignmentId: string | null,
    refuseIfChanged?: (manager: EntityManager, locked: RoutableRequest) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.routing.lockRequest(manager, requestId);
      if (!request) return false;
      await refuseIfChanged?.(manager, request);
      const current = await this.routing.currentAssignment(manager, requestId);
      if (!current || current.id !== assignmentId || current.takenAt || request.status !== 'assigned') return false;
      const now = this.clock.now();
      await runAsOne(manager, [
        this.takenStatement(current.id, request.departmentCode, now),
        this.requests.statusStatement(request.id, 'in_progress', null, milestoneOf('taken', request, now)),
        this.requests.eventStatement(
          event(request, 'taken_in_charge', 'in_progress', { isPublic: true, actorType: 'staff', actorId: current.facilitatorId }),
        ),
        ...this.buyerNotifications.scheduleStatements(request.id, now),
      ]);
      return true;
    });
  }

  /**
   * The request leaves its facilitator for good (closed, withdrawn; `why` another: reopened while they are away): the
   * current assignment ends and its place is freed. Statements to run with the closure, under the request's lock; once
   * committed, call scheduleDrains(facilitatorId) so the freed place serves the pool. Nothing to do without a current
   * assignment.
   */
  async releaseStatements(
    manager: EntityManager,
    requestId: string,
    why: AssignmentEndReason = 'finished',
  ): Promise<{ statements: SqlStatement[]; facilitatorId: string | null }> {
    const current = await this.routing.currentAssignment(manager, requestId);
    if (!current) return { statements: [], facilitatorId: null };
    return {
      statements: [
        this.routing.endAssignmentStatement(current.id, why, this.clock.now(), null),
        this.routing.releaseCapacityStatement(current.facilitatorId),
      ],
      facilitatorId: current.facilitatorId,
    };
  }

  /**
   * A closed request comes back to the facilitator who handled it (the buyer replied within the window): their
   * place is taken again, with an assignment already taken in charge. Statements to run with the reopening.
   */
  reclaimStatements(
    requestId: string,
    departmentCode: string,
    facilitatorId: string,
    deadline = this.reopenedDeadline(departmentCode),
  ): SqlStatement[] {
    const now = this.clock.now();
    return [
      this.routing.claimCapacityStatement(new Map([[facilitatorId, 1]]), now),
      this.routing.insertTakenAssignmentStatement(
        { id: randomUUID(), requestId, facilitatorId, assignedAt: now, takeChargeDueAt: now, takeChargeReminderAt: null },
        now,
        deadline,
      ),
    ];
  }

  /**
   * The buyer replied to the answer before closure: the facilitator owes a new one, due as after a reopening of a
   * closed request — the first answer's deadline, long past, would mark it late at once. Nothing if never taken.
   */
  answerReopened(manager: EntityManager, request: Pick<RoutableRequest, 'id' | 'departmentCode'>): Promise<MovedAnswerDeadline> {
    return this.movedAnswerDeadline(manager, request.id, async () => this.reopenedDeadline(request.departmentCode));
  }

  /** A reopened request's answer is due as a first one is after taking in charge, counted from now. */
  reopenedDeadline(departmentCode: string): AnswerDeadline {
    const now = this.clock.now();
    return this.answerDeadline(now, [], departmentCode, now);
  }

  /** The reason a reopening routed afresh records in the history (rerouteReopenedStatements). */
  static readonly REROUTED_REOPENING = 'Le facilitateur qui la suivait n’est pas disponible (parti ou absent) : attribution de nouveau';

  /**
   * Whether a reopened request can go back to the facilitator who handled it: not once they left, nor while absent —
   * nor when they will be away the day its new answer falls due, or most of the time until then (leave starting
   * tomorrow: the buyer would wait for their return).
   */
  async canReclaim(manager: EntityManager, facilitatorId: string, departmentCode: string): Promise<boolean> {
    return (await this.whyNotReclaimable(manager, facilitatorId, departmentCode)) === null;
  }

  /** Why a reopened request cannot go back to the facilitator who handled it (canReclaim), or null: it can. */
  whyNotReclaimable(manager: EntityManager, facilitatorId: string, departmentCode: string): Promise<AwayCause | null> {
    // Every answer deadline has a date (null is the type of one never set): the reopening sets it now.
    const lastDay = lastDayOf(departmentCode, this.reopenedDeadline(departmentCode).dueAt!);
    return this.routing.whyAway(facilitatorId, this.reference.networkDays(this.clock.now()), lastDay, manager);
  }

  /**
   * A request reopened (closed, or answered) while its facilitator cannot take it back (canReclaim): routed afresh, as a declined
   * one is (another facilitator, or the network's pool). Under the request's lock; the statements run after the ones
   * that bring it back to `submitted` (a later runAsOne: both update the request).
   */
  async rerouteReopenedStatements(manager: EntityManager, requestId: string, apart: string | null): Promise<SqlStatement[]> {
    const request = await this.routing.lockRequest(manager, requestId);
    if (!request) return [];
    // `apart` with the candidates: a buyer's reply frees their place in this transaction, after these statements are made.
    await this.routing.lockPlaces(manager, [request], apart ? [apart] : []);
    return (await this.plannedAssignments(manager, [{ ...request, status: 'submitted' }], false, apart)).statements;
  }

  /** Taken in charge now: the answer is due that many working days later (pauses to come move it when they end). */
  private takenStatement(assignmentId: string, departmentCode: string, now: Date): SqlStatement {
    return this.routing.markTakenStatement(assignmentId, now, this.answerDeadline(now, [], departmentCode, now));
  }

  private answerDeadline(takenAt: Date, pauses: Pause[], departmentCode: string, now: Date): AnswerDeadline {
    const days = this.config.ANSWER_WORKING_DAYS;
    return {
      dueAt: answerDueAt(takenAt, pauses, departmentCode, days),
      reminderAt: answerReminderAt(takenAt, pauses, departmentCode, days, now),
    };
  }

  /**
   * The buyer's precision ends a pause (status change at `now`, in this transaction): the answer deadline kept
   * on the assignment moves by the working time the pause took, and is returned to tell the facilitator. Nothing
   * if the request was never taken.
   */
  pauseEnded(manager: EntityManager, request: Pick<RoutableRequest, 'id' | 'departmentCode'>, now: Date): Promise<MovedAnswerDeadline> {
    return this.movedAnswerDeadline(manager, request.id, async (takenAt) => {
      const events = [
        ...(await this.requests.pauseEvents(manager, request.id)),
        { fromStatus: 'awaiting_buyer', toStatus: 'in_progress', createdAt: now },
      ];
      return this.answerDeadline(takenAt, pausesFromHistory(events), request.departmentCode, now);
    });
  }

  /** The current assignment's answer deadline set anew (`deadlineFor` its taking in charge); nothing if never taken. */
  private async movedAnswerDeadline(
    manager: EntityManager,
    requestId: string,
    deadlineFor: (takenAt: Date) => Promise<AnswerDeadline>,
  ): Promise<MovedAnswerDeadline> {
    const current = await this.routing.currentAssignment(manager, requestId);
    if (!current?.takenAt) return { statements: [], answerDueAt: null };
    const deadline = await deadlineFor(current.takenAt);
    return { statements: [this.routing.answerDueStatement(current.id, deadline)], answerDueAt: deadline.dueAt };
  }

  /**
   * A facilitator's availability changed. If absent or inactive today, the requests they have not
   * taken in charge move on; in every case the pools they serve may now drain.
   */
  async facilitatorChanged(facilitatorId: string): Promise<void> {
    const away = await this.routing.whyAway(facilitatorId, this.reference.networkDays(this.clock.now()));
    if (away) {
      for (const requestId of await this.routing.untakenRequestsOf(facilitatorId)) {
        await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
          const request = await this.routing.lockRequest(manager, requestId);
          const current = request && (await this.routing.currentAssignment(manager, requestId));
          if (!request || !current || current.facilitatorId !== facilitatorId || current.takenAt) return;
          await this.routing.lockPlaces(manager, [request], [facilitatorId]);
          const facilitator = await this.routing.facilitatorContact(manager, facilitatorId);
          await runAsOne(manager, [
            ...this.release(request, current, away, { type: 'reassigned', reason: AWAY_REASONS[away] }),
            // Told, so that the request coming back to them later (« confiée à nouveau ») reads as what it is; not once
            // gone: the mailbox of someone who left is no one's.
            ...(facilitator && away !== 'departed' ? this.withdrawnMail(request, facilitator, 'unavailable') : []),
          ]);
          await this.assign(manager, [{ ...request, status: 'submitted' }]);
        });
      }
    }
    await this.scheduleDrains(facilitatorId);
  }

  /** Assigns the network's pool, oldest first, as far as capacity allows. */
  async drainPool(networkCode: string): Promise<number> {
    let assigned = 0;
    for (let batches = 0; batches < POOL_BATCHES && (await this.routing.networkHasFreeCapacity(networkCode)); batches++) {
      const outcomes = await transactionRetryingDeadlocks(this.dataSource, async (manager) =>
        this.assign(manager, await this.routing.lockPool(manager, networkCode, ROUTING_BATCH)),
      );
      const placed = outcomes.filter((outcome) => outcome === 'assigned').length;
      assigned += placed;
      // The oldest waiting request fits nowhere yet, or the pool is empty: the next drain comes with freed capacity.
      if (placed < ROUTING_BATCH) break;
    }
    if (assigned) this.logger.info({ networkCode, assigned }, 'réserve de demandes en partie attribuée');
    return assigned;
  }

  /**
   * Offers each request, oldest first, to the best facilitator the policy allows, counting the
   * places taken by the requests before it; writes every outcome in one statement. The requests
   * must be locked by the caller's transaction. `handedOver`: they leave a facilitator who had taken them in charge,
   * whose buyer reads the hand-over's line (handedOverStatements), not the routing's besides.
   */
  async assign(manager: EntityManager, requests: RoutableRequest[], { handedOver = false } = {}): Promise<RoutingOutcome[]> {
    const { outcomes, statements } = await this.plannedAssignments(manager, requests, handedOver);
    await runAsOne(manager, statements);
    return outcomes;
  }

  /** assign()'s decisions, its statements not yet run: under the same locks, taken now. */
  private async plannedAssignments(
    manager: EntityManager,
    requests: RoutableRequest[],
    handedOver = false,
    apart: string | null = null,
  ): Promise<{ outcomes: RoutingOutcome[]; statements: SqlStatement[] }> {
    if (!requests.length) return { outcomes: [], statements: [] };
    const now = this.clock.now();
    // `apart`: the holder a reopening is taken from, away by a rule routing's « today » does not see (absent tomorrow).
    const facilitators = (await this.routing.lockCandidates(manager, requests, this.reference.networkDays(now)))
      .filter((f) => f.id !== apart)
      .map((f) => ({ ...f }));
    const exclusions = await this.routing.exclusions(
      manager,
      requests.map((r) => r.id),
    );
    const claims = new Map<string, number>();
    const assignments: PlannedAssignment[] = [];
    const unplaced: Unplaced[] = [];
    const outcomes = requests.map((request): RoutingOutcome => {
      const excluded = exclusions.get(request.id);
      const [facilitator] = rankFacilitators(request, facilitators, excluded);
      if (!facilitator) {
        if (request.status === 'unassigned') return 'unchanged';
        // Nobody ranked: the policy names why, from the same facilitators and exclusions.
        unplaced.push({ request, wait: whyWaiting(request, facilitators, excluded)! });
        return 'unassigned';
      }
      // Before this request's place is counted: the département's facilitators as the ranking saw them.
      const fallback = whyCoordinatorFallback(request, facilitator, facilitators, excluded);
      facilitator.openCount++;
      facilitator.lastAssignedAt = now;
      claims.set(facilitator.id, (claims.get(facilitator.id) ?? 0) + 1);
      assignments.push({ ...this.plan(request, facilitator, now), fallback, followUp: followUpHolderText(request, facilitator) });
      return 'assigned';
    });
    await this.markHeldBefore(manager, assignments);
    return {
      outcomes,
      statements: [
        ...(assignments.length ? this.assignmentStatements(assignments, claims, now, { isPublic: !handedOver }) : []),
        ...(unplaced.length ? this.poolStatements(unplaced, !handedOver) : []),
      ],
    };
  }

  /**
   * Staff chose the facilitator (reassignment, a facilitator taking from the pool): the same claim as
   * a routed assignment, under the same row locks, refused (409, French) if that facilitator cannot
   * take it now — at capacity, asked first or given past it as `beyondCapacity` says (beyond-capacity.policy). The
   * request must be locked by the caller's transaction and hold no current assignment. `history`: a function of whether
   * the place was taken past capacity, for a choice that may be. `handOver`: who chose them and why, which their e-mail
   * tells them. `to`: awaiting_buyer for a request whose precision asked stays awaited (request-state.policy): the new
   * holder has it in charge at once. `history.isPublic` false: the buyer reads a hand-over's line instead
   * (handedOverStatements).
   */
  async assignChosen(
    manager: EntityManager,
    request: RoutableRequest,
    facilitatorId: string,
    history: ChosenHistory | ((beyondCapacity: boolean) => ChosenHistory),
    {
      handOver,
      to = 'assigned',
      beyondCapacity = 'refused',
    }: { handOver?: HandOver; to?: 'assigned' | 'awaiting_buyer'; beyondCapacity?: BeyondCapacity } = {},
  ): Promise<ClaimableFacilitator> {
    const now = this.clock.now();
    const candidates = await this.routing.lockCandidates(manager, [request], this.reference.networkDays(now));
    const facilitator = candidates.find((f) => f.id === facilitatorId);
    const verdict = chosenVerdict(
      facilitator ? whyNotEligible(request, facilitator) : await this.whyNotCandidate(manager, request, facilitatorId),
      beyondCapacity,
      // Not a candidate: refused whatever their load.
      facilitator ?? { openCount: 0, capacity: 0 },
    );
    if ('ask' in verdict) {
      const { firstName, lastName, openCount, capacity } = facilitator!;
      throw new BeyondCapacityUnconfirmed(
        facilitatorId,
        openCount,
        capacity,
        beyondCapacityQuestion(`${firstName} ${lastName}`, openCount, capacity),
      );
    }
    if ('refused' in verdict) {
      const message = CHOSEN_REFUSALS[verdict.refused];
      throw new AppError('conflict', message, [{ field: 'facilitatorId', message }]);
    }
    const claims = new Map([[facilitatorId, 1]]);
    // Routing chose when staff let it: a regional coordinator is told why, as when routing assigns; a staff choice is not.
    const fallback = handOver?.rerouted
      ? whyCoordinatorFallback(request, facilitator!, candidates, (await this.routing.exclusions(manager, [request.id])).get(request.id))
      : null;
    const planned = { ...this.plan(request, facilitator!, now), fallback };
    const said = typeof history === 'function' ? history(verdict.beyondCapacity) : history;
    await this.markHeldBefore(manager, [planned]);
    await runAsOne(
      manager,
      to === 'assigned'
        ? this.assignmentStatements([planned], claims, now, said, handOver)
        : this.awaitingBuyerStatements(planned, claims, now, said, handOver, await this.closesWithoutPrecisionAt(manager, request)),
    );
    return facilitator!;
  }

  /** When a request awaiting its buyer's precision closes without it: the window opened when the precision was asked. */
  private async closesWithoutPrecisionAt(manager: EntityManager, request: RoutableRequest): Promise<Date | null> {
    const askedAt = await this.requests.enteredStatusAt(manager, request.id, 'awaiting_buyer');
    return autoCloseAt('awaiting_buyer', askedAt, request.departmentCode, this.config.REPLY_WINDOW_WORKING_DAYS);
  }

  /**
   * Whom routing would give the request to now (kind, territory, present, with room, none who let it go before), but
   * `apart`, or why nobody (ranking.policy): for a move that must not leave it in the pool. Under the request's lock;
   * assignChosen claims the place.
   */
  async bestCandidate(
    manager: EntityManager,
    request: RoutableRequest,
    apart: string | null,
  ): Promise<{ id: string } | { waiting: PoolWait }> {
    // The one it is taken from counts as nobody: « let go » would misname a territory only they cover.
    const facilitators = (await this.routing.lockCandidates(manager, [request], this.reference.networkDays(this.clock.now()))).filter(
      (f) => f.id !== apart,
    );
    const excluded = (await this.routing.exclusions(manager, [request.id])).get(request.id);
    const [best] = rankFacilitators(request, facilitators, excluded);
    return best ? { id: best.id } : { waiting: whyWaiting(request, facilitators, excluded)! };
  }

  /**
   * Why a facilitator may not take a request of the pool themself now, in their words (null: they may). Read
   * without locks, for the page and before trying: assignChosen decides again under them. One routing leaves out of
   * it (excludedAfter: they let it go, or an animator took it from them) may not take it back on their own either.
   */
  async poolRefusal(manager: EntityManager, request: RoutableRequest, facilitatorId: string): Promise<string | null> {
    const facilitator = (await this.routing.readCandidates([request], this.reference.networkDays(this.clock.now()), manager)).find(
      (f) => f.id === facilitatorId,
    );
    if (!facilitator) return OWN_REFUSALS[await this.whyNotCandidate(manager, request, facilitatorId)];
    const refusal = whyNotEligible(request, facilitator, (await this.routing.exclusions(manager, [request.id])).get(request.id));
    return refusal && OWN_REFUSALS[refusal];
  }

  /** Candidates are the request's kind and territory, active: one not among them lacks one of those. */
  private async whyNotCandidate(manager: EntityManager, request: RoutableRequest, facilitatorId: string): Promise<IneligibilityReason> {
    const facilitator = await this.routing.facilitatorKind(manager, facilitatorId);
    if (facilitator && facilitator.kind !== request.kind) return 'kind';
    return facilitator && !facilitator.active ? 'inactive' : 'territory';
  }

  /** Sets each assignment's `heldBefore`, under the caller's locks: a facilitator given back a request they held. */
  private async markHeldBefore(manager: EntityManager, assignments: PlannedAssignment[]): Promise<void> {
    if (!assignments.length) return;
    const former = await this.routing.formerHolders(
      manager,
      assignments.map((a) => a.requestId),
    );
    for (const a of assignments) a.heldBefore = former.get(a.requestId)?.has(a.facilitatorId) ?? false;
  }

  private plan(request: RoutableRequest, facilitator: ClaimableFacilitator, now: Date): PlannedAssignment {
    return {
      id: randomUUID(),
      requestId: request.id,
      facilitatorId: facilitator.id,
      assignedAt: now,
      takeChargeDueAt: takeChargeDueAt(now, this.config.TAKE_CHARGE_WORKING_DAYS, request.departmentCode),
      takeChargeReminderAt: takeChargeReminderAt(now, this.config.TAKE_CHARGE_WORKING_DAYS, request.departmentCode),
      request,
      facilitator,
    };
  }

  /**
   * The assignments, the places they take, their history, the facilitators' e-mails and the deadline
   * timers. `history` replaces the routing's own event, for a choice made by staff.
   */
  private assignmentStatements(
    assignments: PlannedAssignment[],
    claims: Map<string, number>,
    now: Date,
    history?: Partial<NewRequestEvent>,
    handOver?: HandOver,
  ): SqlStatement[] {
    return [
      this.routing.claimCapacityStatement(claims, now),
      this.routing.insertAssignmentsStatement(assignments),
      this.routing.routedStatesStatement(
        assignments.map((a) => ({ requestId: a.requestId, status: 'assigned', assignedFacilitatorId: a.facilitatorId })),
      ),
      this.requests.eventsStatement(
        assignments.map((a) =>
          event(a.request, 'assigned', 'assigned', {
            isPublic: true,
            // Staff read why the follow-up went back to its holder, or a coordinator has it (the coordinator's e-mail says
            // that too); the buyer's page shows no reason.
            reason: routedWhy(a),
            ...history,
            assigneeId: a.facilitatorId,
          }),
        ),
      ),
      ...this.assignmentMails(assignments, handOver),
      this.outbox.addManyStatement(
        'routing.deadline',
        assignments.map(({ id, takeChargeDueAt }) => ({
          payload: { assignmentId: id },
          jobId: `deadline-${id}`,
          delayMs: timerDelayMs(takeChargeDueAt, now),
        })),
      ),
    ];
  }

  /**
   * The e-mails telling facilitators of requests just given to them (`handOver`: by staff, who and why; `awaitingBuyer`:
   * the precision asked is still awaited, and when the request closes without it).
   */
  private assignmentMails(
    assignments: PlannedAssignment[],
    handOver?: HandOver,
    awaitingBuyer: { closesAt: Date | null } | null = null,
  ): SqlStatement[] {
    return this.mail.prepareMany(
      assignments.map(({ request, facilitator, takeChargeDueAt, fallback, heldBefore = false }) => ({
        requestId: request.id,
        template: 'facilitator-assignment',
        recipient: facilitator.email,
        subject: assignmentSubject(request, heldBefore),
        context: {
          firstName: facilitator.firstName,
          reference: request.reference,
          subject: request.subject,
          // Beside their earlier « elle vous est retirée », as the subject says.
          heldBefore,
          // Its deadline already let pass (once, or enough for the animators to be told): not one to leave for later.
          // Awaiting the buyer, it is theirs at once: no take-charge to hurry.
          deadlineMisses: awaitingBuyer ? 0 : request.deadlineMisses,
          escalated: !awaitingBuyer && request.deadlineMisses >= ESCALATION_MISSES,
          kindLabel: KIND_LABELS[request.kind],
          department: this.reference.departmentLabel(request.departmentCode),
          segment: this.reference.segmentLabel(request.segmentCode),
          // Awaiting the buyer, nothing to take in charge: the precision comes first, then their time to answer.
          dueAt: awaitingBuyer ? null : takeChargeDueAt,
          awaitingBuyer: awaitingBuyer !== null,
          closesAt: awaitingBuyer?.closesAt ?? null,
          answerDays: this.config.ANSWER_WORKING_DAYS,
          departmentCode: request.departmentCode,
          neededBy: request.neededBy ?? null,
          actionUrl: `${this.config.PUBLIC_URL}/espace/demandes/${encodeURIComponent(request.reference)}`,
          handOver: handOver ?? null,
          transferNote: request.transferNote ?? null,
          // Not their own give-back, handed back to them later: they know their note.
          givenBack: request.givenBack && request.givenBack.byId !== facilitator.id && !handOver ? request.givenBack : null,
          // Routing fell back to the région's coordinator, and why: a département not theirs, given by routing (never by
          // staff's choice, which the hand-over tells).
          fallbackWhy: fallback ? coordinatorFallbackDetail(fallback) : null,
          // The earlier request they held, where their answer is.
          followsUp: followedReferenceHeldBy(request, facilitator),
          // Without a password yet, « connexion demandée » would be a dead end: the e-mail says how to get in.
          account: facilitator.account,
        },
      })),
    );
  }

  /**
   * A request awaiting its buyer's precision, given by staff to another facilitator: theirs and in their charge at once
   * (the next move is the buyer's, nothing to take in charge, no take-charge timer); its answer falls due once the
   * precision comes (pauseEnded). A private history line: the hand-over event tells the buyer.
   */
  private awaitingBuyerStatements(
    planned: PlannedAssignment,
    claims: Map<string, number>,
    now: Date,
    history: Partial<NewRequestEvent>,
    handOver: HandOver | undefined,
    closesAt: Date | null,
  ): SqlStatement[] {
    const { request, facilitator } = planned;
    return [
      this.routing.claimCapacityStatement(claims, now),
      this.routing.insertTakenAssignmentStatement({ ...planned, takeChargeDueAt: now, takeChargeReminderAt: null }, now, {
        dueAt: null,
        reminderAt: null,
      }),
      this.routing.requestStateStatement(request.id, { status: 'awaiting_buyer', assignedFacilitatorId: facilitator.id }),
      this.requests.eventStatement(event(request, 'assigned', 'awaiting_buyer', { ...history, assigneeId: facilitator.id })),
      ...this.assignmentMails([planned], handOver, { closesAt }),
    ];
  }

  /**
   * No one can take these requests now: they wait in their network's pool. The network's animators
   * hear of them in one digest per period, not one message per request. `isPublic`: as for assign's `handedOver`.
   */
  private poolStatements(unplaced: Unplaced[], isPublic: boolean): SqlStatement[] {
    const requests = unplaced.map((u) => u.request);
    return [
      this.routing.routedStatesStatement(requests.map((r) => ({ requestId: r.id, status: 'unassigned', assignedFacilitatorId: null }))),
      this.requests.eventsStatement(
        unplaced.map(({ request, wait }) =>
          event(request, 'unassigned', 'unassigned', { isPublic, reason: waitingReasonText(wait, request.kind) }),
        ),
      ),
      this.outbox.addManyStatement(
        'routing.pool-alert',
        this.digestJobs(
          'pool-alert',
          requests.map((r) => r.networkCode),
        ),
      ),
    ];
  }

  /**
   * The digest jobs of these networks, due at the end of the current period (POOL_ALERT_DIGEST_SECONDS) or at the next
   * opening of the network's office (networkDigestAt): one job per network and sending time, the queue ignores the
   * copies added by later changes meant for the same one.
   */
  private digestJobs(
    name: string,
    networkCodes: string[],
  ): Array<{ payload: JobPayloads['routing.pool-alert']; jobId: string; delayMs: number }> {
    const period = this.config.POOL_ALERT_DIGEST_SECONDS * 1000;
    const now = this.clock.now();
    return [...new Set(networkCodes)].map((networkCode) => {
      const at = networkDigestAt(now, period, this.reference.clockDepartmentOf(networkCode));
      return {
        payload: { networkCode, at: at.getTime() },
        jobId: `${name}-${networkCode}-${at.getTime()}`,
        delayMs: timerDelayMs(at, now),
      };
    });
  }

  /**
   * Tells the network's animators which requests fell into its pool since the last digest, how many in all
   * and how many wait now; it lists the oldest POOL_ALERT_LIMIT of them. Only within the network's office hours, or
   * just before the time its job was planned `at` (networkDigestGoesAt). Idempotent.
   */
  async poolAlert(networkCode: string, at?: Date): Promise<void> {
    const now = this.clock.now();
    if (!networkDigestGoesAt(now, this.reference.clockDepartmentOf(networkCode), at)) return;
    await this.dataSource.transaction(async (manager) => {
      const { requests, announced, waiting } = await this.routing.announcePool(manager, networkCode, POOL_ALERT_LIMIT, now);
      if (!announced) return;
      const why = await this.waitingReasons(requests, manager);
      const letGo = await this.routing.letGo(
        manager,
        requests.map((r) => r.id),
      );
      const network = await this.routing.networkRecipients(manager, networkCode);
      if (!network?.emails.length) {
        this.logger.warn({ networkCode }, 'réseau sans animateur ni adresse de contact : réserve non signalée');
      }
      await runAsOne(
        manager,
        this.mail.prepareMany(
          // Named to whoever hears of several networks' pools, its link narrowed to this one's; the others' pool is its own.
          networkDigestMails(network, ({ networkName }, ofSeveral) => ({
            requestId: announced === 1 ? requests[0].id : null,
            template: 'network-pool-alert',
            subject:
              announced === 1
                ? `Demande ${requestInSubject(requests[0].reference, requests[0].subject)} en attente : aucun facilitateur disponible`
                : `${announced} demandes en attente${ofSeveral ? ` dans le réseau ${afterNetworkWord(networkName)}` : ''} : aucun facilitateur disponible`,
            context: {
              announced,
              unlisted: announced - requests.length,
              waiting,
              // Listed ones that will not leave the pool by itself: the digest does not promise them to routing.
              stuck: requests.filter((r) => why.get(r.id)?.stuck).length,
              requests: requests.map((r) => ({
                reference: r.reference,
                subject: r.subject,
                kindLabel: KIND_LABELS[r.kind],
                department: this.reference.departmentLabel(r.departmentCode),
                departmentCode: r.departmentCode,
                createdAt: r.createdAt,
                // Given back by its facilitator: who, and their word, so the animators know why it waits.
                givenBack: r.givenBack ? { by: r.givenBack.by, note: r.givenBack.note } : null,
                // Who had it and how it left them (a decline's reason), oldest first: whom routing will not offer it again.
                letGo: (letGo.get(r.id) ?? []).map(letGoText),
                // As of now (null: a place freed meanwhile, the next drain places it).
                why: why.get(r.id)?.text ?? null,
              })),
              workspaceUrl: `${this.config.PUBLIC_URL}/espace?${new URLSearchParams({ tab: 'pool', ...(ofSeveral ? { network: networkCode } : {}) })}`,
              facilitatorsUrl: `${this.config.PUBLIC_URL}/espace/facilitateurs`,
            },
          })),
        ),
      );
    });
  }

  /**
   * Why each of these pooled requests waits now, read without locks (no entry: someone could take it now, the next
   * drain places it): for the pool digest and the request page.
   */
  async waitingReasons(
    requests: RoutableRequest[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, WaitingExplained>> {
    if (!requests.length) return new Map();
    // One after the other: the digest's manager is a transaction, one connection.
    const candidates = await this.routing.readCandidates(requests, this.reference.networkDays(this.clock.now()), manager);
    const exclusions = await this.routing.exclusions(
      manager,
      requests.map((r) => r.id),
    );
    const explained = new Map<string, WaitingExplained>();
    for (const request of requests) {
      const excluded = exclusions.get(request.id);
      const wait = whyWaiting(request, candidates, excluded);
      if (wait) explained.set(request.id, { text: waitingReasonText(wait, request.kind), stuck: waitsForSomeone(wait.reason) });
    }
    return explained;
  }

  /**
   * The facilitator's e-mail when a request is taken from them: its deadline passed, the network withdrew it (to
   * reassign it, or transferred to the other kind), or they
   * became unavailable (an absence, no longer receiving requests) before taking it in charge. `reason`: the network's,
   * as its animator typed it (staff to staff). Transferred, `request` is as it was before: its domain is the other one.
   * `draftLeft`: they had a draft of its answer, which stays theirs to read in « Mes brouillons laissés » (the link).
   */
  withdrawnMail(
    request: RoutableRequest,
    facilitator: { email: string; firstName: string },
    why: 'deadline' | 'reassigned' | 'transferred' | 'unavailable',
    reason: string | null = null,
    draftLeft = false,
  ): SqlStatement[] {
    return this.mail.prepare({
      requestId: request.id,
      template: 'assignment-withdrawn',
      recipient: facilitator.email,
      subject: `Demande ${requestInSubject(request.reference, request.subject)} : elle vous est retirée`,
      context: {
        firstName: facilitator.firstName,
        reference: request.reference,
        subject: request.subject,
        why,
        reason,
        // Named by the template when given: e-mails queued before it was say « l’autre domaine ».
        ...(why === 'transferred' ? { targetKindLabel: KIND_LABELS[otherKind(request.kind)] } : {}),
        ...(draftLeft ? { leftDraftsUrl: `${this.config.PUBLIC_URL}${LEFT_DRAFTS_PATH}` } : {}),
      },
    });
  }

  /**
   * Ends the current assignment (if any), frees the facilitator's place, puts the request back to be
   * routed and records why (for staff): statements to run together, before routing it again. With
   * `buyerReason`, the buyer is told too (public event and debounced e-mail).
   */
  release(
    request: RoutableRequest,
    current: Pick<CurrentAssignment, 'id' | 'facilitatorId'> | null,
    endReason: AssignmentEndReason,
    history: Partial<NewRequestEvent> & { type: string },
    extra: { declineReason?: DeclineReason; deadlineMisses?: number; buyerReason?: string } = {},
  ): SqlStatement[] {
    return [
      ...(current
        ? [
            this.routing.endAssignmentStatement(current.id, endReason, this.clock.now(), extra.declineReason ?? null),
            this.routing.releaseCapacityStatement(current.facilitatorId),
          ]
        : []),
      this.routing.requestStateStatement(request.id, {
        status: 'submitted',
        assignedFacilitatorId: null,
        deadlineMisses: extra.deadlineMisses,
      }),
      this.requests.eventStatement(event(request, history.type, 'submitted', { ...history, isPublic: false })),
      ...(extra.buyerReason ? this.handedOverStatements(request, 'submitted', extra.buyerReason) : []),
    ];
  }

  /**
   * The buyer's side of a move to another facilitator: a public event whose reason the buyer reads (no staff
   * names: the private event beside it keeps them), and the debounced e-mail that tells of it.
   */
  handedOverStatements(request: RoutableRequest, toStatus: RequestStatus, buyerReason: string): SqlStatement[] {
    return [
      this.requests.eventStatement(event(request, HANDED_OVER_EVENT, toStatus, { reason: buyerReason, isPublic: true })),
      ...this.buyerNotifications.scheduleStatements(request.id, this.clock.now()),
    ];
  }

  /**
   * The request missed its take-charge deadline again: the network's animators step in. Kept, and told in their next
   * escalation digest (EscalationDigestService), where they read where it is by then.
   */
  private escalationStatements(request: RoutableRequest, misses: number): SqlStatement[] {
    return [
      this.routing.escalationStatement({ id: randomUUID(), requestId: request.id, misses, escalatedAt: this.clock.now() }),
      this.outbox.addManyStatement('routing.escalation-digest', this.digestJobs('escalation-digest', [request.networkCode])),
    ];
  }

  /** Capacity freed somewhere: the pools of the networks this facilitator serves get a chance. After commit. */
  async scheduleDrains(facilitatorId: string): Promise<void> {
    const networks = await this.routing.networksServedBy(facilitatorId);
    await runAsOne(
      this.dataSource,
      networks.map((networkCode) =>
        this.outbox.addStatement('routing.drain-pool', { networkCode }, `drain-${networkCode}-${randomUUID()}`),
      ),
    ).catch((error: Error) => this.logger.warn({ err: error.message }, 'vidage de la réserve non planifié, le balayage s’en chargera'));
  }
}

/** Why staff cannot give the request to the facilitator they chose (French, shown on the form). */
const CHOSEN_REFUSALS: Record<IneligibilityReason, string> = {
  kind: 'Ce facilitateur ne traite pas ce type de demande.',
  territory: 'Ce facilitateur ne couvre pas le territoire de la demande.',
  inactive: 'Ce facilitateur est désactivé.',
  absent: 'Ce facilitateur est absent aujourd’hui : choisissez-en un autre.',
  full: 'Ce facilitateur a atteint sa capacité : choisissez-en un autre ou libérez une place.',
  excluded: 'Ce facilitateur ne peut pas recevoir cette demande.',
};

/** The same, said to the facilitator who would take it from the pool. */
const OWN_REFUSALS: Record<IneligibilityReason, string> = {
  kind: 'elle relève de l’autre type de demande (environnement ou clause sociale) que celui que vous traitez.',
  territory: 'son département n’est pas dans votre territoire.',
  inactive: 'votre fiche ne reçoit plus de demandes ; votre animateur peut la rouvrir.',
  absent: 'une absence est déclarée pour vous aujourd’hui.',
  full: 'vous avez atteint votre capacité ; clôturez ou confiez une demande pour libérer une place.',
  excluded:
    'elle vous a déjà été confiée et ne l’est plus (déclinée, son délai passé, ou retirée par l’animation du réseau) ; votre animateur peut vous la confier de nouveau.',
};

/** Why requests not taken in charge left a facilitator who became unavailable, as their history line says it. */
const AWAY_REASONS: Record<AwayCause, string> = {
  departed: 'Facilitateur parti (compte désactivé)',
  inactive: 'Le facilitateur ne reçoit plus de demandes',
  absence: 'Facilitateur absent',
};

const DECLINE_LABELS: Record<DeclineReason, string> = {
  not_my_territory: 'Décliné : hors de mon territoire',
  not_my_expertise: 'Décliné : hors de mon expertise',
  unavailable: 'Décliné : indisponible',
};

/** A give-back's reason, followed in its history line by the facilitator's word on where the request stands. */
const GIVE_BACK_LABELS: Record<DeclineReason, string> = {
  not_my_territory: 'Hors de son territoire',
  not_my_expertise: 'Hors de son expertise',
  unavailable: 'Indisponible',
};

/**
 * What the buyer reads when their request, once taken in charge, leaves its facilitator: another one has it now (still
 * awaiting the precision asked, which reaches them), or it waits in the network's pool for one (before a taking in
 * charge the buyer heard of no one: nothing to tell).
 */
export function handedOverReason(to: 'assigned' | 'unassigned' | 'awaiting_buyer'): string {
  const placed = 'Votre demande est confiée à un autre facilitateur du réseau, qui en reprend le traitement.';
  if (to === 'awaiting_buyer') {
    return `${placed} La précision qui vous a été demandée reste attendue : donnez-la depuis votre page de suivi, elle lui parviendra.`;
  }
  return to === 'assigned'
    ? placed
    : 'Votre demande attend qu’un autre facilitateur du réseau se libère pour en reprendre le traitement : vous recevrez un courriel quand il l’aura prise en charge.';
}

/** Whether the buyer has heard of a facilitator following their request (taken in charge): a hand-over is news then. */
export function followedByFacilitator(request: { status: RequestStatus }): boolean {
  return request.status === 'in_progress' || request.status === 'awaiting_buyer';
}

/** The sweep's findings, each facilitator's together and in the order found. */
function byFacilitator<T extends { facilitatorId: string }>(items: readonly T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const item of items) grouped.set(item.facilitatorId, [...(grouped.get(item.facilitatorId) ?? []), item]);
  return grouped;
}

/** `items` in consecutive slices of ROUTING_BATCH. */
function inBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += ROUTING_BATCH) batches.push(items.slice(i, i + ROUTING_BATCH));
  return batches;
}

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
