import { Inject, Injectable } from '@nestjs/common';
import { AnswerDraftsRepository } from '../answer-drafts/answer-drafts.repository';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { requestInSubject } from '../../common/french-format';
import { ActionRefused, AppError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { queryProblems } from '../../common/query-parameters';
import { randomToken, sha256 } from '../../common/tokens';
import { repeatableId } from '../../common/idempotency-key';
import { tickedBox } from '../../common/validation';
import { AppConfig } from '../../config/app-config';
import { runAsOne } from '../../database/sql-statement';
import { OutboxRepository } from '../../queue/outbox.repository';
import {
  canManageFacilitator,
  canRedirect,
  canReassign,
  canTakeFromPool,
  isHolder,
  RequestScope,
  visibleNetworks,
} from '../accounts/access.policy';
import { goneWhileWaiting } from '../workspace/no-longer-yours';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AccountsService } from '../accounts/accounts.service';
import { kindRefusedFor, transferRefusal } from '../intake/eligibility.policy';
import { MailService } from '../mail/mail.service';
import { ReferenceService } from '../reference/reference.service';
import { precisionRerouteRefusal, whyNotEligible } from '../routing/ranking.policy';
import { ClaimableFacilitator, CurrentAssignment, RoutableRequest, RoutingRepository } from '../routing/routing.repository';
import { followedByFacilitator, handedOverReason, RoutingService } from '../routing/routing.service';
import { parisYear } from '../requests/reference-number';
import { AdviceRequest } from '../requests/request.entities';
import { nextStatus } from '../requests/request-state.policy';
import { SeenState, seenStateOf } from '../requests/seen-state.policy';
import { KIND_LABELS, otherKind, RequestStatus } from '../requests/request.types';
import { RequestsRepository } from '../requests/requests.repository';
import { sealTrackingToken, trackingUrl } from '../requests/tracking-url';
import { StaffRequestsRepository } from '../workspace/staff-requests.repository';
import { DispatchRepository, DispatchSummary } from './dispatch.repository';
import { FacilitatorLoadDto, ReassignResultDto, SplitResultDto, TransferResultDto } from './dto/dispatch-results.dto';
import { parseSplitTopics, reasonProblem, refocusedSubject, SplitTopic } from './split.policy';
import { transactionRetryingDeadlocks } from '../../database/deadlock-retry';

type Visible = RequestScope & { id: string; reference: string };

/** What « Inviter les facilitateurs sans compte » did: invited by e-mail, animators' accounts given their record, refused. */
export interface Invitations {
  invited: string[];
  linked: string[];
  refused: Array<{ name: string; reason: string }>;
}

/** A reassignment done: what the API answers, and whether nobody held the request (given from the pool, not taken back). */
export interface Reassignment {
  result: ReassignResultDto;
  given: boolean;
}

/** A facilitator staff may choose on the reassignment form, and why not if they cannot take it now. */
export interface ReassignChoice {
  id: string;
  name: string;
  openCount: number;
  capacity: number;
  absentToday: boolean;
  unavailable: 'absent' | 'full' | null;
  /** Declined it, let its take-charge deadline pass or had it withdrawn: routing will not offer it to them again. */
  declinedBefore: boolean;
}

/**
 * Moving requests between people: transfer to the other kind, split, reassignment by the network,
 * a facilitator taking from the pool. Each change runs in one transaction with its history, e-mails
 * and routing jobs; anyone who may not act on the request gets 404.
 */
@Injectable()
export class DispatchService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly staffRequests: StaffRequestsRepository,
    private readonly dispatch: DispatchRepository,
    private readonly routing: RoutingService,
    private readonly routingRepository: RoutingRepository,
    private readonly requests: RequestsRepository,
    private readonly mail: MailService,
    private readonly drafts: AnswerDraftsRepository,
    private readonly outbox: OutboxRepository,
    private readonly reference: ReferenceService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** What the transfer and split pages show (404 unless the person may transfer or split it). */
  async redirectable(staff: StaffPrincipal, reference: string): Promise<DispatchSummary> {
    return this.summaryOf(await this.staffRequests.findActionable(staff, reference, canRedirect));
  }

  /** What the reassignment page shows: the facilitators of the request's kind and territory, but the one holding it. */
  async reassignable(staff: StaffPrincipal, reference: string): Promise<{ request: DispatchSummary; choices: ReassignChoice[] }> {
    const visible = await this.staffRequests.findActionable(staff, reference, canReassign);
    const routable = (await this.routingRepository.readRequest(visible.id))!;
    const [candidates, exclusions] = await Promise.all([
      this.routingRepository.readCandidates([routable], this.reference.networkDays(this.clock.now())),
      this.routingRepository.exclusions(this.dataSource.manager, [visible.id]),
    ]);
    const declined = exclusions.get(visible.id) ?? new Set<string>();
    const choices = offeredFor(routable, candidates)
      .filter((f) => f.id !== visible.assignedFacilitatorId)
      .map((f) => choiceOf(f, routable, declined.has(f.id)))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    return { request: await this.summaryOf(visible), choices };
  }

  /**
   * To the other kind: the holder lets it go (place freed), the request goes back to routing, which
   * finds the other kind's facilitator by that kind's territory rules.
   */
  async transfer(staff: StaffPrincipal, reference: string, body: Record<string, unknown>): Promise<TransferResultDto> {
    const seen = seenStateOf(body.seenState);
    // Its holder when they read it, given to a colleague since: told so (409), not that it does not exist.
    const visible = await this.staffRequests.findActionable(staff, reference, canRedirect, seen);
    const reason = this.requiredReason(body.reason);
    const { kind, freed } = await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
      const { request, current } = await this.lock(manager, visible.id, {
        staff,
        seen,
        may: canRedirect,
        gone: goneWhileWaiting(staff, visible),
      });
      nextStatus(request, 'transfer');
      const kind = otherKind(request.kind);
      const refused = transferRefusal(request);
      if (refused) throw new AppError('conflict', refused, [{ field: 'reason', message: refused }]);
      // Taken from its holder by someone else (an animator): told, as a reassignment tells them.
      const previous =
        current && current.facilitatorId !== staff.facilitatorId
          ? await this.routingRepository.facilitatorContact(manager, current.facilitatorId)
          : null;
      await runAsOne(manager, [
        ...(previous
          ? this.routing.withdrawnMail(
              request,
              previous,
              'transferred',
              reason,
              await this.drafts.writtenBy(manager, request.id, previous.id),
            )
          : []),
        this.dispatch.kindStatement(request.id, kind),
        // A new job id: the intake's own job for this request may still sit in the queue as completed.
        this.outbox.addStatement('request.submitted', { requestId: request.id }, `request-submitted-${request.id}-${randomUUID()}`),
      ]);
      await runAsOne(
        manager,
        this.routing.release(
          request,
          current,
          'transferred',
          {
            type: 'transferred',
            actorType: 'staff',
            actorId: staff.id,
            reason: `Transférée de « ${KIND_LABELS[request.kind]} » vers « ${KIND_LABELS[kind]} » par ${nameOf(staff)} : ${reason}`,
          },
          {
            // The other desk starts afresh from the request (request-state.policy): the precision asked is no longer awaited.
            buyerReason: `Votre question relève plutôt du domaine « ${KIND_LABELS[kind]} » : elle est transmise à un facilitateur de ce domaine, qui la prendra en charge.${request.status === 'awaiting_buyer' ? ' La précision qui vous avait été demandée n’est plus attendue : ce facilitateur vous en demandera une s’il en a besoin.' : ''}`,
          },
        ),
      );
      return { kind, freed: current?.facilitatorId ?? null };
    });
    if (freed) await this.routing.scheduleDrains(freed);
    return { reference: visible.reference, kind, status: 'submitted' };
  }

  /**
   * The original keeps its first topic and its facilitator; each further topic becomes a request of
   * the same buyer, routed on its own. The buyer gets one e-mail with the new private links.
   */
  async split(staff: StaffPrincipal, reference: string, body: Record<string, unknown>, repeatKey?: string): Promise<SplitResultDto> {
    const visible = await this.staffRequests.findActionable(staff, reference, canRedirect);
    const segments = new Set(this.reference.allSegments().map((s) => s.code));
    const { topics, errors } = parseSplitTopics(body.topics, segments);
    const refocused = refocusedSubject(body.subject, (await this.summaryOf(visible)).subject);
    errors.push(...refocused.errors);
    if (errors.length) throw new ValidationFailed(errors);
    // Named by the form's token or the API's key: the same split sent again finds the requests it made.
    const ids = topics.map((_, i) => repeatableId(this.config.APP_SECRET, repeatKey, 'split', visible.id, String(i)));
    const references: string[] = [];
    // The new requests are dated by the instant their references' year is read (see IntakeService.submit).
    const now = this.clock.now();
    while (references.length < topics.length) references.push(await this.requests.nextReference(parisYear(now)));
    const created = await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
      const original = await this.dispatch.lockFull(manager, visible.id);
      if (!original) throw new NotFound();
      await this.staffRequests.refuseIfSeenThenChangedUnderLock(staff, original, null, manager, {
        may: canRedirect,
        gone: goneWhileWaiting(staff, visible),
      });
      const already = await this.dispatch.splitOffAlready(manager, ids);
      if (already.length) return already;
      const status = nextStatus(original, 'split');
      const refused = topics.flatMap((topic, i) => {
        const problem = kindRefusedFor(original.organisationType, topic.kind, 'split');
        return problem ? [{ field: `topics.${i}.kind`, message: `Nouvelle demande ${i + 1} : ${problem}` }] : [];
      });
      if (refused.length) throw new ValidationFailed(refused);
      const created = topics.map((topic, i) => this.splitOff(original, topic, references[i], ids[i], now));
      await runAsOne(manager, [
        ...created.flatMap(({ request }) => [
          ...this.requests.insertStatements(request, {
            requestId: request.id,
            type: 'split_from',
            fromStatus: null,
            toStatus: 'submitted',
            actorType: 'staff',
            actorId: staff.id,
            reason: `Créée par scission de ${original.reference}`,
            isPublic: true,
          }),
          this.outbox.addStatement('request.submitted', { requestId: request.id }, `request-submitted-${request.id}`),
        ]),
        ...(refocused.subject ? [this.dispatch.subjectStatement(original.id, refocused.subject)] : []),
        this.requests.eventStatement({
          requestId: original.id,
          type: 'split',
          fromStatus: original.status,
          toStatus: status,
          actorType: 'staff',
          actorId: staff.id,
          reason: `Scindée en ${references.join(', ')}${refocused.subject ? ` ; objet recentré : « ${refocused.subject} » (était « ${original.subject} »)` : ''}`,
          isPublic: true,
        }),
        ...this.mail.prepare({
          requestId: original.id,
          template: 'buyer-split',
          recipient: original.buyerEmail,
          // By the purchase the buyer named, as their earlier mails did; the body gives the refocused subject.
          subject: `Votre demande ${requestInSubject(original.reference, original.subject)} devient ${created.length + 1} demandes — Guichet vert`,
          context: {
            firstName: original.buyerFirstName,
            reference: original.reference,
            subject: refocused.subject ?? original.subject,
            created: created.map(({ request, link }) => ({ reference: request.reference, subject: request.subject, trackingUrl: link })),
          },
        }),
      ]);
      return created.map(({ request }) => ({ reference: request.reference, kind: request.kind, subject: request.subject }));
    });
    return { reference: visible.reference, created };
  }

  /**
   * The network gives the request to a chosen facilitator (a place claimed under lock, refused if absent; at capacity,
   * asked first, then given past it once `beyondCapacity` confirms — asked again if they are further past capacity than
   * `confirmedOpenCount` for `confirmedCapacity` when confirmed), or lets routing choose again (no facilitatorId).
   * Awaiting the buyer's precision, it stays awaiting with the new holder (request-state.policy), whom routing must then
   * find now: the pool would lose it. Says whether it was given from the pool: nobody held it under the lock (as the
   * form saw it, the seen state checked).
   */
  async reassign(staff: StaffPrincipal, reference: string, body: Record<string, unknown>): Promise<Reassignment> {
    const seen = seenStateOf(body.seenState);
    const visible = await this.staffRequests.findActionable(staff, reference, canReassign, seen);
    const reason = this.requiredReason(body.reason);
    const chosenId = typeof body.facilitatorId === 'string' && body.facilitatorId.trim() ? body.facilitatorId.trim() : null;
    if (chosenId && !/^[0-9a-f-]{36}$/i.test(chosenId)) {
      throw new ValidationFailed([{ field: 'facilitatorId', message: 'Choisissez un facilitateur de la liste.' }]);
    }
    const beyondCapacity = tickedBox(body.beyondCapacity, 'beyondCapacity');
    const confirmedLoad = beyondCapacity ? loadConfirmed(body) : null;
    const result = await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
      const { request, current } = await this.lock(manager, visible.id, { staff, seen, may: canReassign });
      // Before the holder's place is freed, with whom routing or staff may choose: in one ordered lock, as routing does.
      await this.routingRepository.lockPlaces(manager, [request], current ? [current.facilitatorId] : []);
      const previous = current && (await this.routingRepository.facilitatorContact(manager, current.facilitatorId));
      const withdrawn = previous
        ? this.routing.withdrawnMail(request, previous, 'reassigned', reason, await this.drafts.writtenBy(manager, request.id, previous.id))
        : [];
      const to = nextStatus(request, chosenId ? 'reassign' : 'reroute');
      // Taken in charge: the buyer reads one line, the hand-over's; the new assignment's stays in staff's history.
      const handedOver = followedByFacilitator(request);
      if (!chosenId && to === 'submitted') {
        await runAsOne(manager, [
          ...this.routing.release(request, current, 'withdrawn', {
            type: 'rerouted',
            actorType: 'staff',
            actorId: staff.id,
            reason: `${reroutedBy(staff, previous)} : ${reason}`,
          }),
          ...withdrawn,
        ]);
        const [outcome] = await this.routing.assign(manager, [{ ...request, status: 'submitted' }], { handedOver });
        const placed = outcome === 'assigned' ? 'assigned' : 'unassigned';
        if (handedOver) {
          await runAsOne(manager, this.routing.handedOverStatements(request, placed, handedOverReason(placed)));
        }
        const holder = (await this.routingRepository.currentAssignment(manager, request.id))?.facilitatorId ?? null;
        return { status: placed, facilitatorId: holder, freed: current?.facilitatorId ?? null, given: !current } as const;
      }
      if (current?.facilitatorId === chosenId) {
        const message = 'Cette demande est déjà confiée à ce facilitateur.';
        throw new AppError('conflict', message, [{ field: 'facilitatorId', message }]);
      }
      const chosen = chosenId && (await this.routingRepository.facilitatorContact(manager, chosenId));
      // Another network's facilitator whom the request's territory does not offer answers as an unknown id: an
      // animator learns nothing of who is in other networks' directories.
      if (chosenId && (!chosen || !(canManageFacilitator(staff, chosen.networkCode) || (await this.offers(manager, request, chosenId))))) {
        throw new ValidationFailed([
          { field: 'facilitatorId', message: 'Ce facilitateur n’est pas dans l’annuaire : choisissez-en un de la liste.' },
        ]);
      }
      if (current) {
        await runAsOne(manager, [
          // Withdrawn by a rerouting, as the one above: routing will not offer it to them again.
          this.routingRepository.endAssignmentStatement(current.id, chosenId ? 'reassigned' : 'withdrawn', this.clock.now(), null),
          this.routingRepository.releaseCapacityStatement(current.facilitatorId),
          ...withdrawn,
        ]);
      }
      const best = chosenId ? { id: chosenId } : await this.routing.bestCandidate(manager, request, current?.facilitatorId ?? null);
      if ('waiting' in best) {
        // Awaiting the buyer, the pool would leave the question with no one: refused, saying why nobody else can take it.
        const message = precisionRerouteRefusal(best.waiting, request.kind);
        throw new AppError('conflict', message, [{ field: 'facilitatorId', message }]);
      }
      const holderId = best.id;
      const holder = chosen || (await this.routingRepository.facilitatorContact(manager, holderId))!;
      const placed = to === 'awaiting_buyer' ? to : 'assigned';
      await this.routing.assignChosen(
        manager,
        request,
        holderId,
        chosenId
          ? (beyond) => ({
              type: 'reassigned',
              actorType: 'staff',
              actorId: staff.id,
              reason: `Confiée à ${holder.firstName}${beyond ? ' au-delà de sa capacité' : ''} par ${nameOf(staff)}${previous ? `, retirée à ${previous.firstName}` : ''} : ${reason}`,
              isPublic: !handedOver,
            })
          : {
              type: 'rerouted',
              actorType: 'staff',
              actorId: staff.id,
              reason: `${reroutedBy(staff, previous)}, confiée à ${holder.firstName} : ${reason}`,
              isPublic: !handedOver,
            },
        {
          handOver: { by: nameOf(staff), reason, resumed: handedOver, rerouted: !chosenId },
          to: placed,
          // Routing's own choice never goes past capacity; staff's, once they confirmed.
          beyondCapacity: !chosenId ? 'refused' : beyondCapacity ? { confirmed: confirmedLoad } : 'ask',
        },
      );
      if (handedOver) {
        await runAsOne(manager, this.routing.handedOverStatements(request, placed, handedOverReason(placed)));
      }
      return { status: placed, facilitatorId: holderId, freed: current?.facilitatorId ?? null, given: !current } as const;
    });
    if (result.freed) await this.routing.scheduleDrains(result.freed);
    return { result: { reference: visible.reference, status: result.status, facilitatorId: result.facilitatorId }, given: result.given };
  }

  /**
   * A facilitator takes a request of their network's pool, within their capacity; refused (409, what changed and who
   * took it) if it is no longer as `seenState` says, when an API client sends it.
   */
  async takeFromPool(staff: StaffPrincipal, reference: string, seenState?: unknown): Promise<ReassignResultDto> {
    const seen = seenStateOf(seenState);
    // Taken by this very person a moment ago (a double click, a second tab, a retry): done, not refused in their name.
    const takes = (s: StaffPrincipal, r: RequestScope) => canTakeFromPool(s, r) || isHolder(s, r);
    const visible = await this.staffRequests.findActionable(staff, reference, takes, seen);
    const mine = { reference: visible.reference, facilitatorId: staff.facilitatorId };
    if (isHolder(staff, visible)) return this.alreadyTaken(mine, visible.status as RequestStatus);
    let status: RequestStatus = 'assigned';
    await transactionRetryingDeadlocks(this.dataSource, async (manager) => {
      const takenMeanwhile = () => new ActionRefused('Cette demande n’est plus dans la réserve : un facilitateur vient de la recevoir.');
      const { request, current } = await this.lock(manager, visible.id, { staff, seen: null });
      if (current?.facilitatorId === staff.facilitatorId) {
        status = request.status;
        return;
      }
      // What they saw, checked once it is known that the change since (if any) was not their own taking.
      await this.staffRequests.refuseIfSeenThenChangedUnderLock(staff, request, seen, manager, {
        may: canTakeFromPool,
        gone: takenMeanwhile,
      });
      if (request.status !== 'unassigned' || current) throw takenMeanwhile();
      nextStatus(request, 'route_assigned');
      const refusal = await this.routing.poolRefusal(manager, request, staff.facilitatorId!);
      if (refusal) throw new ActionRefused(`Vous ne pouvez pas prendre cette demande : ${refusal}`);
      await this.routing.assignChosen(manager, request, staff.facilitatorId!, {
        type: 'taken_from_pool',
        actorType: 'staff',
        actorId: staff.id,
        reason: `Prise dans la réserve du réseau par ${nameOf(staff)}`,
      });
    });
    return this.alreadyTaken(mine, status);
  }

  /**
   * A take from the pool finding the request theirs: done when it was just taken (a double click, a retry: still
   * `assigned`); past that (taken in charge, closed, or given back to them by name), not their taking: refused.
   */
  private alreadyTaken(mine: Omit<ReassignResultDto, 'status'>, status: RequestStatus): ReassignResultDto {
    if (status !== 'assigned') throw new ActionRefused('Cette demande vous est déjà confiée : elle n’est plus dans la réserve.');
    return { ...mine, status };
  }

  /**
   * Invites, each by the usual e-mail, every facilitator of these networks who receives requests without an account
   * (imported by CSV, or added without their invitation): what they are given would otherwise wait unseen. One whose
   * address is another account's is named, with why; one already invited is left to « Renvoyer l’invitation ».
   */
  async inviteWithoutAccount(staff: StaffPrincipal): Promise<Invitations> {
    const invited: string[] = [];
    const linked: string[] = [];
    const refused: Array<{ name: string; reason: string }> = [];
    for (const facilitator of (await this.loads(staff)).filter((f) => f.active && f.account === 'none')) {
      const name = `${facilitator.firstName} ${facilitator.lastName}`;
      try {
        const { link } = await this.accounts.invite({ email: facilitator.email, role: 'facilitator' }, staff);
        (link === null ? linked : invited).push(name);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        refused.push({ name, reason: error.errors[0]?.message ?? error.message });
      }
    }
    return { invited, linked, refused };
  }

  /** The facilitators of the animator's networks (all for an admin) and their load. */
  loads(staff: StaffPrincipal): Promise<FacilitatorLoadDto[]> {
    const now = this.clock.now();
    return this.dispatch.loads(visibleNetworks(staff), this.reference.networkDays(now), now);
  }

  /** The same for an API client, who may send no parameter: one sent (a `network` filter) must not read as applied. */
  apiLoads(staff: StaffPrincipal, query: Record<string, unknown>): Promise<FacilitatorLoadDto[]> {
    const problems = queryProblems(query, {});
    if (problems.length) throw new ValidationFailed(problems);
    return this.loads(staff);
  }

  private async summaryOf(visible: Visible): Promise<DispatchSummary> {
    const summary = await this.dispatch.summary(visible.id);
    if (!summary) throw new NotFound();
    return summary;
  }

  /** Whether the reassignment page offers this facilitator for the request (its kind and territory). */
  private async offers(manager: EntityManager, request: RoutableRequest, facilitatorId: string): Promise<boolean> {
    const candidates = await this.routingRepository.readCandidates([request], this.reference.networkDays(this.clock.now()), manager);
    return offeredFor(request, candidates).some((f) => f.id === facilitatorId);
  }

  /**
   * The request under its lock and its current assignment; refused (409, what changed) if not as the form's writer
   * `seen` it, and refused by `gone` (404 unless told) should it no longer be theirs to act on (`may`, the rule that let
   * them act before the lock) after they waited; neither without `may` (the caller checks).
   */
  private async lock(
    manager: EntityManager,
    requestId: string,
    {
      staff,
      seen,
      may,
      gone,
    }: {
      staff: StaffPrincipal;
      seen: SeenState | null;
      may?: (staff: StaffPrincipal, request: RequestScope) => boolean;
      gone?: () => AppError;
    },
  ): Promise<{ request: RoutableRequest; current: CurrentAssignment | null }> {
    const request = await this.routingRepository.lockRequest(manager, requestId);
    if (!request) throw new NotFound();
    if (may) await this.staffRequests.refuseIfSeenThenChangedUnderLock(staff, request, seen, manager, { may, gone });
    return { request, current: await this.routingRepository.currentAssignment(manager, requestId) };
  }

  private requiredReason(value: unknown): string {
    const problem = reasonProblem(value);
    if (problem) throw new ValidationFailed([{ field: 'reason', message: problem }]);
    return String(value).trim();
  }

  /** A new request for one topic: same buyer, organisation and territory; its own reference and private link. */
  private splitOff(
    original: AdviceRequest,
    topic: SplitTopic,
    reference: string,
    id: string,
    createdAt: Date,
  ): { request: AdviceRequest; link: string } {
    const token = randomToken();
    const request = Object.assign(new AdviceRequest(), {
      ...original,
      id,
      reference,
      status: 'submitted',
      kind: topic.kind,
      segmentCode: topic.segment,
      subject: topic.subject,
      question: topic.question,
      assignedFacilitatorId: null,
      // Its own topic, perhaps another purchase: it stands apart from the request the original followed (splitFrom ties it).
      followsUpRequestId: null,
      deadlineMisses: 0,
      closeReason: null,
      closedAt: null,
      createdAt,
      trackingTokenHash: sha256(token),
      // Sealed under the new request's id: the original's sealed token would open under no other.
      trackingTokenSealed: sealTrackingToken(this.config.APP_SECRET, id, token),
    } satisfies Partial<AdviceRequest>);
    return { request, link: trackingUrl(this.config.PUBLIC_URL, reference, token) };
  }
}

function choiceOf(f: ClaimableFacilitator, request: RoutableRequest, declinedBefore: boolean): ReassignChoice {
  const why = whyNotEligible(request, f);
  return {
    id: f.id,
    name: `${f.firstName} ${f.lastName}`,
    openCount: f.openCount,
    capacity: f.capacity,
    absentToday: f.absentToday,
    unavailable: why === 'absent' || why === 'full' ? why : null,
    declinedBefore,
  };
}

/** The history's words for a rerouting by staff, and whom it took the request from. */
function reroutedBy(staff: StaffPrincipal, previous: { firstName: string } | null): string {
  return `Remise en attribution automatique par ${nameOf(staff)}${previous ? ` (retirée à ${previous.firstName})` : ''}`;
}

function nameOf(staff: StaffPrincipal): string {
  return `${staff.firstName} ${staff.lastName}`;
}

/** The candidates a reassignment may choose among: the request's kind and territory, whatever their load today. */
function offeredFor(request: RoutableRequest, candidates: ClaimableFacilitator[]): ClaimableFacilitator[] {
  return candidates.filter((f) => !['kind', 'territory'].includes(whyNotEligible(request, f) ?? ''));
}

/**
 * The load a confirmation past capacity was given at: the open requests, and the capacity they were read against (null:
 * not said; the load alone then holds). Neither said: confirmed whatever the load.
 */
function loadConfirmed(body: Record<string, unknown>): { openCount: number; capacity: number | null } | null {
  const openCount = countConfirmed(body.confirmedOpenCount, 'confirmedOpenCount', 'Le nombre de demandes ouvertes du facilitateur');
  const capacity = countConfirmed(body.confirmedCapacity, 'confirmedCapacity', 'La capacité du facilitateur');
  if (openCount === null && capacity !== null) {
    const message = 'La capacité lue en confirmant va avec le nombre de demandes ouvertes lu en même temps (confirmedOpenCount).';
    throw new ValidationFailed([{ field: 'confirmedCapacity', message }]);
  }
  return openCount === null ? null : { openCount, capacity };
}

function countConfirmed(value: unknown, field: string, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ValidationFailed([{ field, message: `${what} lors de la confirmation : un entier, 0 ou plus.` }]);
}
