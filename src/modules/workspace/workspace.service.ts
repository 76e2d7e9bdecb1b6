import { pageOf } from '../../web/paging';
import { frenchNumber, requestInSubject } from '../../common/french-format';
import { maskedEmail } from '../../common/masked-email';
import { randomToken, sha256 } from '../../common/tokens';
import { sealTrackingToken, trackingLinkRewrite, trackingUrl } from '../requests/tracking-url';
import { isFormRepeatKey, repeatableId, repeatedPageSince } from '../../common/idempotency-key';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ActionRefused, AppError, FieldError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { isTicked, isUuid, tickedBox, typedText, validateBody } from '../../common/validation';
import { BuyerContactDto } from '../intake/dto/create-request.dto';
import { AutoCloseService } from '../auto-close/auto-close.service';
import { BuyerNotificationsService } from '../buyer-notifications/buyer-notifications.service';
import { AppConfig } from '../../config/app-config';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { OutboxRepository } from '../../queue/outbox.repository';
import {
  canRedirect,
  canReassign,
  canSeeRequest,
  canTakeFromPool,
  isHolder,
  RequestScope,
  visibleNetworks,
} from '../accounts/access.policy';
import { goneWhileWaiting, NO_LONGER_YOURS } from './no-longer-yours';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { passageToComplete } from '../answer-templates/answer-template.policy';
import { AttachmentsService, UploadedFile } from '../attachments/attachments.service';
import { draftContent, draftSavedAt } from '../answer-drafts/answer-draft.policy';
import { AnswerDraftsRepository, draftsDeletedStatement } from '../answer-drafts/answer-drafts.repository';
import { MailService } from '../mail/mail.service';
import { milestoneOf } from '../requests/milestone.policy';
import { ReferenceService } from '../reference/reference.service';
import { answerDueAt, answeredOnTime, pausesFromHistory } from '../requests/answer-deadline.policy';
import { checkHelpItems, helpItemInputs, namedFileIndex } from '../requests/help-item.policy';
import { autoCloseAt, enteredStatusAt } from '../requests/reply-window.policy';
import { MessageKind, STAFF_TEXT_MAX } from '../requests/request-message.types';
import { RequestMessagesRepository, staffMessageView } from '../requests/request-messages.repository';
import { allowedActions, closeReasonsFor, nextStatus, SYSTEM_CLOSE_REASONS } from '../requests/request-state.policy';
import { SeenState, seenStateOf, seenStateToken } from '../requests/seen-state.policy';
import {
  CLOSE_REASON_LABELS,
  CLOSE_REASONS,
  CloseReason,
  OrganisationType,
  RequestAction,
  RequestKind,
  RequestStatus,
} from '../requests/request.types';
import { transferRefusal } from '../intake/eligibility.policy';
import type { AdviceRequest } from '../requests/request.entities';
import { NewRequestEvent, RequestsRepository } from '../requests/requests.repository';
import type { DeclineReason } from '../routing/request-assignment.entity';
import { RoutableRequest, RoutingRepository } from '../routing/routing.repository';
import { RoutingService } from '../routing/routing.service';
import { isEscalated } from '../routing/escalation.policy';
import { RetentionService } from '../retention/retention.service';
import { SurveysService } from '../surveys/surveys.service';
import { StaffRequestsRepository, VisibleRequest } from './staff-requests.repository';
import {
  Deadline,
  isLate,
  neededSooner,
  parseQueueFilters,
  QUEUE_PAGE_SIZE,
  queueCounts,
  QueueFilters,
  queueFilterProblems,
} from './workspace-queue.policy';
import { similarityQuery } from './similar-requests.policy';
import { LinkedRequest, WorkspaceRepository } from './workspace.repository';

export const DECLINE_REASONS: readonly DeclineReason[] = ['not_my_territory', 'not_my_expertise', 'unavailable'];
/** The buyer's other requests listed on a request page: enough to see a pattern, not a file. */
const SAME_BUYER_SHOWN = 10;
/** Answered requests like this one listed on its page: the few closest are the ones worth reopening. */
const SIMILAR_SHOWN = 5;
type Visible = VisibleRequest;

/** What this person may do on this request now: the page's forms and links, the API's refusals. */
export interface PermittedActions {
  takeCharge: boolean;
  decline: boolean;
  /** Taken in charge, not answered yet: hand it on (routing chooses the next facilitator), with a word for them. */
  giveBack: boolean;
  clarify: boolean;
  answer: boolean;
  closeReasons: CloseReason[];
  note: boolean;
  transfer: boolean;
  split: boolean;
  reassign: boolean;
  takeFromPool: boolean;
  /** Erase the buyer's personal data now, on their request: a closed request, by its network's animators or an admin. */
  erase: boolean;
  /** Undo a closure made by mistake (not the buyer's withdrawal): back to the facilitator who held it. */
  reopen: boolean;
  /** Correct the buyer's contact details (the right to rectification): the holder and the network, until erased. */
  correctBuyer: boolean;
  /** Record that the buyer wants no more surveys (their right to object): the holder and the network, until erased or done. */
  refuseSurveys: boolean;
  /** Lift that objection when the buyer changes their mind: the same people, while the address has one. */
  acceptSurveys: boolean;
}

export interface AnswerInput {
  body?: unknown;
  items?: unknown;
  /**
   * Written as a complement to the answer sent: refused if the buyer replied meanwhile (it would answer them unread).
   * Said false (the page's first answer): refused once answered, by another tab or person, rather than sent as a complement.
   */
  complement?: unknown;
  /** The buyer's latest message when the writer opened the form ('' for none): refused if the buyer wrote since. */
  buyerMessageSeen?: unknown;
  /** The request as the page's form read it (answerable): told what changed if it left the writer's hands meanwhile. */
  seenState?: unknown;
}

/** A complement written against an answer the buyer has replied to since: their message is to be read first. */
const REPLIED_MEANWHILE = 'L’acheteur a répondu entre-temps : votre complément n’est pas envoyé. Lisez son message, puis répondez-lui.';
/** A first answer written while the buyer wrote again: it would answer them without what they just said. */
const BUYER_WROTE_MEANWHILE =
  'L’acheteur a écrit entre-temps : votre réponse n’est pas envoyée. Lisez son nouveau message, puis envoyez-la (votre texte est gardé).';
/** A first answer from a page left open while the answer went (another tab, a colleague): sending it would complete it blindly. */
const ALREADY_ANSWERED =
  'La réponse a déjà été envoyée (depuis un autre onglet ou par une autre personne) : ce texte n’est pas envoyé. Relisez la réponse envoyée, puis complétez-la si besoin.';
const SENT_WITH_OTHER_TEXT =
  'Ce formulaire a déjà été envoyé, avec un autre texte : ce que vous venez d’écrire n’est pas envoyé. Rechargez la demande pour relire ce qui est parti, puis envoyez un complément si besoin.';

/**
 * The facilitator's work on a request: queue, request page and every action, each action one transaction
 * (status change by the state policy, history event naming the staff member, message, files).
 */
@Injectable()
export class WorkspaceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: StaffRequestsRepository,
    private readonly workspace: WorkspaceRepository,
    private readonly requests: RequestsRepository,
    private readonly messages: RequestMessagesRepository,
    private readonly routing: RoutingService,
    private readonly routingRepository: RoutingRepository,
    private readonly attachments: AttachmentsService,
    private readonly outbox: OutboxRepository,
    private readonly reference: ReferenceService,
    private readonly buyerNotifications: BuyerNotificationsService,
    private readonly autoClose: AutoCloseService,
    private readonly surveys: SurveysService,
    private readonly retention: RetentionService,
    private readonly mail: MailService,
    private readonly drafts: AnswerDraftsRepository,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * The API's filters: refused with field errors when a value is not understood (the page is lenient). A network
   * one does not see is such a value: it would list nothing beside counts of one's own.
   */
  apiQueueFilters(staff: StaffPrincipal, query: Record<string, unknown>): QueueFilters {
    const problems = queueFilterProblems(query, this.reference.knownCodesWithin(visibleNetworks(staff)));
    if (problems.length) throw new ValidationFailed(problems);
    return parseQueueFilters(query);
  }

  /**
   * A page of the queue (sorted and paged by the database), with the tabs' and statuses' counts under the same filters,
   * and, for each request of the pool on the page, whether it will leave the pool by itself.
   */
  async queue(staff: StaffPrincipal, filters: QueueFilters) {
    const now = this.clock.now();
    const read = (page: number) =>
      this.workspace.queue(staff, filters, now, { size: QUEUE_PAGE_SIZE, offset: (page - 1) * QUEUE_PAGE_SIZE });
    const first = await read(filters.page);
    const total = first.total;
    const { page, pages } = pageOf(total, filters.page, QUEUE_PAGE_SIZE);
    const rows = page === filters.page ? first.rows : (await read(page)).rows;
    const counts = await this.workspace.counts(staff, filters, now);
    // A facilitator's own queue needs no one else's name.
    const facilitators = staff.role === 'facilitator' ? [] : await this.workspace.facilitatorOptions(visibleNetworks(staff));
    const waiting = await this.poolWaits(rows.filter((row) => row.status === 'unassigned').map((row) => row.id));
    return {
      facilitators,
      items: rows.map(({ deadlineKind, dueAt, ...row }) => {
        const deadline = deadlineKind && dueAt ? { kind: deadlineKind, dueAt } : null;
        return {
          ...row,
          deadline,
          late: isLate(deadline, now),
          neededSooner: neededSooner(row.neededBy, deadline, row.departmentCode),
          escalated: isEscalated(row),
          staysInPool: waiting.get(row.id)?.stuck ?? false,
        };
      }),
      total,
      page,
      pages,
      counts: queueCounts(counts, filters),
    };
  }

  /**
   * Why each of these pooled requests waits, as the request page reads it (routing's reasons), one page's worth read in
   * one statement.
   */
  private async poolWaits(requestIds: string[]) {
    return this.routing.waitingReasons(requestIds.length ? await this.routingRepository.readRequests(requestIds) : []);
  }

  /**
   * For a facilitator who held the request before and no longer sees it (an old e-mail's link): their page's words,
   * its latest change only when that change took it from them (changeThatTookIt); null for anyone else, whose 404 stays
   * bare, saying nothing of whether it exists.
   */
  async noLongerYours(staff: StaffPrincipal, reference: string): Promise<{ lastChange: string | null } | null> {
    if (staff.role !== 'facilitator' || staff.facilitatorId === null) return null;
    if ((await this.visibility.findVisible(staff, reference)) || !(await this.visibility.heldBefore(staff.facilitatorId, reference))) {
      return null;
    }
    return { lastChange: await this.requests.changeThatTookIt(reference, staff.facilitatorId) };
  }

  /** The request page's content; NotFound for what this person may not see. */
  async requestPage(staff: StaffPrincipal, reference: string) {
    const visible = await this.find(staff, reference);
    // The kept answer deadline reaches the page as `deadlines.answerDueAt`, not as a field of the request; its holdings, in seenState.
    const { answerDueAt: keptAnswerDueAt, holdings, ...request } = (await this.workspace.detail(visible.id))!;
    const similarity = request.anonymisedAt ? null : similarityQuery(request.subject, request.question);
    const [history, assignments, messages, attachments, buyerRequests, similarRequests, undeliveredToBuyer, surveysRefusal, linked] =
      await Promise.all([
        this.workspace.history(request.id),
        this.workspace.assignments(request.id),
        this.messages.messagesOf(request.id, 'staff'),
        this.attachments.listForRequest(request.id),
        request.buyerEmail ? this.workspace.sameBuyer(staff, request.id, request.buyerEmail, SAME_BUYER_SHOWN) : [],
        similarity ? this.workspace.similarAnswered(staff, request, similarity, SIMILAR_SHOWN) : [],
        request.buyerEmail ? this.workspace.undeliveredToBuyer(request.id, request.buyerEmail) : [],
        this.surveys.addressOptOut(request.buyerEmail),
        this.workspace.followUps(request.id),
      ]);
    const surveysRefused = surveysRefusal !== null;
    // Linked requests are named to everyone who sees this one, opened (a link) only by those who may see them.
    const followUpOf = ({ reference, ...scope }: LinkedRequest) => ({ reference, visible: canSeeRequest(staff, scope) });
    const actions = this.permitted(staff, {
      ...visible,
      status: request.status,
      closeReason: request.closeReason,
      anonymisedAt: request.anonymisedAt,
      kind: request.kind,
      organisationType: request.organisationType,
      surveysRefused,
    });
    // In the pool, read once: why nobody takes it, as of now, so that staff know whether to wait or act; and a
    // facilitator, who sees their network's whole pool, reads why they may not take it instead of being offered it.
    const pooled = request.status === 'unassigned' ? await this.routingRepository.readRequest(request.id) : null;
    const poolRefusal =
      pooled && actions.takeFromPool && staff.facilitatorId
        ? await this.routing.poolRefusal(this.dataSource.manager, pooled, staff.facilitatorId)
        : null;
    const waiting = pooled ? ((await this.routing.waitingReasons([pooled])).get(request.id) ?? null) : null;
    // A reopening gives the request back to its facilitator, or routes it afresh when they are absent or gone.
    const reopenReturnsToHolder =
      actions.reopen &&
      visible.assignedFacilitatorId !== null &&
      (await this.routing.canReclaim(this.dataSource.manager, visible.assignedFacilitatorId, request.departmentCode));
    const pauses = pausesFromHistory(history);
    // In progress, the deadline the assignment keeps (a reply to the answer set a new one, which history cannot tell);
    // otherwise as the history gives it, for a closed request's record.
    const answerDue =
      request.status === 'in_progress' && keptAnswerDueAt
        ? keptAnswerDueAt
        : request.takenAt
          ? answerDueAt(request.takenAt, pauses, request.departmentCode, this.config.ANSWER_WORKING_DAYS)
          : null;
    // The deadline that applies now, as the queue reads it: taking in charge while assigned, answering while in progress.
    const pending: Deadline =
      request.status === 'assigned' && request.takeChargeDueAt
        ? { kind: 'take_charge', dueAt: request.takeChargeDueAt }
        : request.status === 'in_progress' && answerDue
          ? { kind: 'answer', dueAt: answerDue }
          : null;
    // The writer's own draft fills their answer form; colleagues learn only that one exists, by whom and when. Taken
    // from them while they wrote (and still seen, in the pool): their words stay theirs to read and copy, not to send.
    const [ownDraft, othersDrafts] = await Promise.all([
      this.drafts.find(request.id, staff.id),
      this.drafts.othersOn(request.id, staff.id),
    ]);
    return {
      request,
      // What the close, transfer and reassignment forms send back: refused if the request changed before they come.
      seenState: seenStateToken({ status: request.status, kind: request.kind, holderId: request.assignedFacilitatorId, holdings }),
      draft: actions.answer ? ownDraft : null,
      leftDraft: isHolder(staff, visible) ? null : ownDraft,
      othersDrafts,
      deadlines: {
        takeChargeDueAt: request.takeChargeDueAt,
        answerDueAt: answerDue,
        paused: pauses.some((p) => p.to === null),
        late: isLate(pending, this.clock.now()),
        escalated: isEscalated(request),
        // Waiting on the buyer (a precision asked, or answered): the moment it closes by itself, as the closure counts it.
        closesAt: autoCloseAt(
          request.status,
          enteredStatusAt(history, request.status as RequestStatus),
          request.departmentCode,
          this.config.REPLY_WINDOW_WORKING_DAYS,
        ),
      },
      history,
      assignments,
      messages: messages.map(staffMessageView),
      attachments,
      followsUp: linked.filter((l) => l.side === 'earlier').map(followUpOf)[0] ?? null,
      followedBy: linked.filter((l) => l.side === 'later').map(followUpOf),
      buyerRequests,
      similarRequests,
      undeliveredToBuyer,
      surveysRefused,
      surveysRefusal,
      actions,
      poolRefusal,
      waiting,
      reopenReturnsToHolder,
      // Whom a give-back may go to, by the holder's choice (else routing chooses).
      colleagues: actions.giveBack && staff.facilitatorId ? await this.routing.colleaguesFor(request.id, staff.facilitatorId) : [],
    };
  }

  permitted(
    staff: StaffPrincipal,
    request: Visible & {
      closeReason: CloseReason | null;
      anonymisedAt: Date | null;
      kind: RequestKind;
      organisationType: OrganisationType;
      /** The buyer's address already opted out of every survey. */
      surveysRefused: boolean;
    },
  ): PermittedActions {
    const holder = isHolder(staff, request);
    const possible = new Set<RequestAction>(allowedActions({ status: request.status as RequestStatus, closeReason: request.closeReason }));
    return {
      takeCharge: holder && possible.has('take_charge'),
      decline: holder && possible.has('take_charge'),
      giveBack: holder && possible.has('give_back'),
      clarify: holder && possible.has('request_clarification'),
      answer: holder && possible.has('answer'),
      closeReasons: answersFor(staff, request) ? closeReasonsFor(request.status as RequestStatus) : [],
      note: true,
      // The holder, and the network's animators (as their pages and API already allow).
      // Not offered towards a desk that cannot serve this buyer (the environmental one, for a private company).
      transfer: canRedirect(staff, request) && possible.has('transfer') && !transferRefusal(request),
      split: canRedirect(staff, request) && possible.has('split'),
      reassign: canReassign(staff, request) && possible.has('reassign'),
      takeFromPool: canTakeFromPool(staff, request),
      erase: canReassign(staff, request) && request.status === 'closed',
      reopen:
        answersFor(staff, request) && possible.has('reopen') && request.assignedFacilitatorId !== null && request.anonymisedAt === null,
      correctBuyer: answersFor(staff, request) && request.anonymisedAt === null,
      refuseSurveys: answersFor(staff, request) && request.anonymisedAt === null && !request.surveysRefused,
      acceptSurveys: answersFor(staff, request) && request.anonymisedAt === null && request.surveysRefused,
    };
  }

  /**
   * Reuses routing's take-charge: the assignment is marked taken, the request moves on, the event names the facilitator.
   * Refused (409, what changed) if it is no longer as `seenState` says, when an API client sends it.
   */
  async takeCharge(staff: StaffPrincipal, reference: string, seenState?: unknown): Promise<void> {
    const seen = seenStateOf(seenState);
    const request = await this.holderOnly(staff, reference, seen);
    const detail = await this.workspace.detail(request.id);
    // `seen` is checked under routing's lock, with the assignment: a change committed after this read is refused too,
    // told as to one who no longer sees it if it went to someone else meanwhile — else told it is no longer theirs.
    const refuseIfChanged = (manager: EntityManager, locked: RoutableRequest) =>
      this.visibility.refuseIfSeenThenChangedUnderLock(staff, locked, seen, manager, {
        may: isHolder,
        gone: goneWhileWaiting(staff, request),
      });
    if (await this.routing.takeCharge(request.id, detail?.assignmentId ?? null, refuseIfChanged)) return;
    nextStatus({ status: request.status as RequestStatus }, 'take_charge');
    throw pageChanged();
  }

  /** Why a closing reason is refused: none chosen, or one only the reply window's end sets. */
  private closeReasonRefusal(reason: unknown): string {
    return reason === 'no_reply'
      ? `« ${CLOSE_REASON_LABELS.no_reply} » est posé automatiquement quand l’acheteur laisse passer son délai (${this.config.REPLY_WINDOW_WORKING_DAYS} jours ouvrés) : la demande se clôturera d’elle-même.`
      : 'Choisissez le motif de clôture.';
  }

  /**
   * The request goes to someone else (routing decides whom): declined before taking it in charge, given back after
   * — then with a word for the next facilitator on where it stands. Says which it was, and whether someone has it.
   * Refused (409, what changed) to one it was taken from if it is no longer as the page's `seenState` says.
   */
  async decline(
    staff: StaffPrincipal,
    reference: string,
    body: { reason?: unknown; note?: unknown; facilitatorId?: unknown; seenState?: unknown },
  ): Promise<'declined' | 'given_back' | 'given_back_to_pool'> {
    const request = await this.holderOnly(staff, reference, seenStateOf(body.seenState));
    const givingBack = request.status !== 'assigned';
    // What the status refuses first (already answered): no use asking for a note that could not be sent.
    nextStatus({ status: request.status as RequestStatus }, givingBack ? 'give_back' : 'take_charge');
    const errors: FieldError[] = [];
    const chosen = DECLINE_REASONS.find((r) => r === body.reason);
    if (!chosen) {
      errors.push({
        field: 'reason',
        message: givingBack ? 'Choisissez pourquoi vous rendez la demande.' : 'Choisissez le motif de votre refus.',
      });
    }
    const note = givingBack ? optionalText(body.note, 'note', errors) : null;
    if (givingBack && note === null && !errors.some((e) => e.field === 'note')) {
      errors.push({ field: 'note', message: 'Dites au facilitateur suivant où en est la demande.' });
    }
    // Given back to a colleague of their choice (the form's list), or to routing's.
    const colleague = givingBack && typeof body.facilitatorId === 'string' && body.facilitatorId !== '' ? body.facilitatorId : null;
    if (colleague !== null && !isUuid(colleague)) errors.push({ field: 'facilitatorId', message: 'Choisissez un collègue de la liste.' });
    if (errors.length || !chosen) throw new ValidationFailed(errors);
    const detail = await this.workspace.detail(request.id);
    const givenBack = note === null ? null : { note, colleagueId: colleague };
    const outcome = detail?.assignmentId ? await this.routing.decline(request.id, detail.assignmentId, chosen, givenBack) : null;
    if (!outcome) throw pageChanged();
    if (!givingBack) return 'declined';
    return outcome === 'assigned' ? 'given_back' : 'given_back_to_pool';
  }

  /**
   * Staff only, on any request this person sees, open or closed; the status does not change. A note named by the
   * form's token or the API's key is stored once, however often it is sent; from the page, the same text by the same
   * person within minutes too (« Retour » gives the form a new token).
   */
  async addNote(staff: StaffPrincipal, reference: string, body: unknown, repeatKey?: string): Promise<void> {
    const request = await this.find(staff, reference);
    const text = requiredText(body, 'body', 'Écrivez la note.');
    const id = repeatableId(this.config.APP_SECRET, repeatKey, 'note', request.id);
    const sameText = {
      requestId: request.id,
      kind: 'internal_note' as const,
      authorType: 'staff' as const,
      authorId: staff.id,
      body: text,
    };
    await this.act(
      staff,
      request,
      null,
      async (status, _to, manager, locked) => {
        // Erased for good: a note written now would keep a person's words that no sweep would ever reach.
        if (locked.anonymisedAt)
          throw new ActionRefused('Les données de cette demande sont effacées : aucune note ne peut plus y être ajoutée.');
        return (await this.messages.bodyOf(manager, id)) !== null ||
          (isFormRepeatKey(repeatKey) && (await this.messages.writtenSince(manager, sameText, repeatedPageSince(this.clock.now()))))
          ? []
          : [
              ...this.messageStatements(request.id, staff, 'internal_note', text, id),
              this.requests.eventStatement(this.event(request.id, staff, 'internal_note', status, status, false)),
            ];
      },
      { may: canSeeRequest },
    );
  }

  /**
   * Awaiting the buyer: the answer deadline pauses until the buyer's precision (its first event after this one).
   * `seenState` as the decline takes it.
   */
  async askClarification(staff: StaffPrincipal, reference: string, body: unknown, seenState?: unknown): Promise<void> {
    const request = await this.holderOnly(staff, reference, seenStateOf(seenState));
    const text = requiredText(body, 'body', 'Écrivez votre question à l’acheteur.');
    await this.act(
      staff,
      request,
      'request_clarification',
      (status, to, _manager, locked) => [
        ...this.messageStatements(request.id, staff, 'clarification_question', text),
        this.requests.statusStatement(request.id, to),
        this.requests.eventStatement(this.event(request.id, staff, 'clarification_requested', status, to, true)),
        ...this.buyerToldAndTimed(locked),
      ],
      { may: isHolder },
    );
  }

  /**
   * The refusals an answer meets before its content is read: the request no longer theirs, or in a state that takes
   * no answer (409). Also asked before a template is taken into an answer being written, which sends nothing.
   * `seenState` as the decline takes it; `visible`, the request as already read for this person (null: out of their
   * sight), else read here.
   */
  async answerable(staff: StaffPrincipal, reference: string, seenState?: unknown, visible?: Visible | null): Promise<Visible> {
    const request = await this.holderOnly(staff, reference, seenStateOf(seenState), visible);
    nextStatus({ status: request.status as RequestStatus }, 'answer');
    return request;
  }

  /**
   * Text, typed help items and files, all or nothing. A help item points to an uploaded file by its name
   * (`attachmentId` holding the file's name as chosen on the computer). Sent once answered, it completes the answer.
   * Named by the form's token or the API's key, it is sent once however often it comes, and says what the first sending was.
   * `uploadRefused`: a file over a limit on the page, refused once a first sending is told and the request found answerable.
   */
  async answer(
    staff: StaffPrincipal,
    reference: string,
    input: AnswerInput,
    files: UploadedFile[],
    repeatKey?: string,
    uploadRefused?: AppError,
  ): Promise<'answer' | 'complement'> {
    // One read of the request: its id names an answer sent before, and the request is then checked answerable.
    const { id, visible } = await this.visibility.lookUp(staff, reference);
    const replayed = await this.answerSentBefore(staff, id, input.body, repeatKey);
    if (replayed) return replayed;
    const request = await this.answerable(staff, reference, input.seenState, visible);
    if (uploadRefused) throw uploadRefused;
    const errors: FieldError[] = [];
    const text = typedText(input.body);
    if (!text) errors.push({ field: 'body', message: 'Écrivez votre réponse.' });
    else if (text.length > STAFF_TEXT_MAX)
      errors.push({ field: 'body', message: `La réponse ne doit pas dépasser ${frenchNumber(STAFF_TEXT_MAX)} caractères.` });
    else {
      const unfinished = passageToComplete(text);
      if (unfinished) {
        errors.push({
          field: 'body',
          message: `Votre réponse contient encore « ${unfinished} », un passage du modèle à remplacer : complétez-le ou retirez-le.`,
        });
      }
    }
    const messageId = repeatableId(this.config.APP_SECRET, repeatKey, 'answer', request.id);
    const prepared = this.attachments.prepare(files, { requestId: request.id, messageId, uploadedByType: 'staff', uploadedById: staff.id });
    const received = helpItemInputs(input.items);
    errors.push(...received.errors);
    const fileNames = files.map((file) => file.originalname);
    const inputs = received.inputs.map((item) => {
      const index = typeof item.attachmentId === 'string' ? namedFileIndex(item.attachmentId, fileNames) : undefined;
      return index === undefined ? item : { ...item, attachmentId: prepared.attachments[index].id };
    });
    const checked = checkHelpItems(
      inputs,
      new Set(prepared.attachments.map((a) => a.id)),
      (code) => this.reference.legalReference(code) !== undefined,
      files.map((file) => file.originalname.trim()),
    );
    errors.push(...checked.errors);
    if (errors.length) throw new ValidationFailed(errors);
    const meantAsComplement = input.complement === true || input.complement === 'true' || input.complement === '1';
    const meantAsFirst = input.complement === false || input.complement === 'false' || input.complement === '0';
    const first: { sent?: 'answer' | 'complement' } = {};
    const before = await this.act(
      staff,
      request,
      null,
      async (status, _same, manager, locked) => {
        // Sent again at once (a double click): under the lock the first sending is seen, and nothing is written twice.
        first.sent = (await this.sentBefore(manager, messageId, text)) ?? undefined;
        if (first.sent) return [];
        const to = nextStatus({ status }, 'answer');
        const complement = status === 'answered';
        if (meantAsComplement && !complement) throw new ActionRefused(REPLIED_MEANWHILE);
        if (meantAsFirst && complement) throw new ActionRefused(ALREADY_ANSWERED);
        if (
          typeof input.buyerMessageSeen === 'string' &&
          input.buyerMessageSeen !== ((await this.messages.latestFromBuyer(manager, request.id)) ?? '')
        ) {
          throw new ActionRefused(BUYER_WROTE_MEANWHILE);
        }
        const now = this.clock.now();
        const current = await this.routingRepository.currentAssignment(manager, request.id);
        // Answered while awaiting the buyer: the wait counts as a pause, as if the precision had come now.
        const resumed = status === 'awaiting_buyer' ? await this.routing.pauseEnded(manager, locked, now) : null;
        const onTime = answeredOnTime(now, resumed ? resumed.answerDueAt : (current?.answerDueAt ?? null));
        return [
          ...(resumed?.statements ?? []),
          ...this.messages.insertStatements(
            { id: messageId, requestId: request.id, kind: 'answer', authorType: 'staff', authorId: staff.id, body: text },
            checked.items,
          ),
          ...prepared.statements,
          this.requests.statusStatement(request.id, to, null, {
            ...milestoneOf('answered', locked, now),
            onTime,
            holderId: current?.facilitatorId ?? null,
          }),
          this.requests.eventStatement(this.event(request.id, staff, complement ? 'answer_completed' : 'answered', status, to, true)),
          ...this.buyerToldAndTimed(locked),
          this.drafts.deleteStatement(request.id, staff.id),
        ];
      },
      { may: isHolder },
    );
    return first.sent ?? (before === 'answered' ? 'complement' : 'answer');
  }

  /**
   * The answer this person already sent under this repeat key (a double click, a browser's resend after a timeout, an
   * API client's retry), as it went: recognised before anything that changed since (the request closed, given to a
   * colleague) refuses it, for it was sent. Null when it was not.
   */
  private async answerSentBefore(
    staff: StaffPrincipal,
    requestId: string | null,
    body: unknown,
    repeatKey?: string,
  ): Promise<'answer' | 'complement' | null> {
    if (repeatKey === undefined || requestId === null) return null;
    const messageId = repeatableId(this.config.APP_SECRET, repeatKey, 'answer', requestId);
    // Theirs only: the request may be out of their sight now, and anyone else's answer is none of their business.
    return this.sentBefore(this.dataSource.manager, messageId, typedText(body), staff.id);
  }

  /** How the answer stored under this id went, null if none is; refused when sent again with other words. */
  private async sentBefore(
    manager: EntityManager,
    messageId: string,
    text: string,
    authorId: string | null = null,
  ): Promise<'answer' | 'complement' | null> {
    const sentBody = await this.messages.bodyOf(manager, messageId, authorId);
    if (sentBody === null) return null;
    // The same page sent again with words added (Back after sending): those words would be lost in silence.
    if (sentBody !== text) throw new ActionRefused(SENT_WITH_OTHER_TEXT);
    return (await this.messages.isFirstOfKind(manager, messageId)) ? 'answer' : 'complement';
  }

  /**
   * The answer being written, kept for this person (the holder, while the request takes an answer): its text and typed
   * help items, never its files. Nothing typed discards it. Saved under the request's lock, after the form was sent as
   * the answer (an autosave overtaken by the sending, same form token), it is not written again (`alreadySent`). Returns
   * when it was saved, null when there is no draft left, and that time as the page says it (the request's clock, not
   * the browser's).
   */
  async saveDraft(
    staff: StaffPrincipal,
    reference: string,
    input: AnswerInput,
    repeatKey?: string,
  ): Promise<{ savedAt: Date | null; day?: string; time?: string; alreadySent?: true }> {
    const request = await this.answerable(staff, reference, input.seenState);
    const { content, errors } = draftContent(input);
    if (errors.length) throw new ValidationFailed(errors);
    const messageId = repeatKey ? repeatableId(this.config.APP_SECRET, repeatKey, 'answer', request.id) : null;
    const now = this.clock.now();
    let saved: Date | null = null;
    let alreadySent = false;
    await this.act(
      staff,
      request,
      'answer',
      async (_status, _to, manager) => {
        alreadySent = messageId !== null && (await this.messages.bodyOf(manager, messageId)) !== null;
        if (alreadySent) return [];
        if (!content) return [this.drafts.deleteStatement(request.id, staff.id)];
        saved = now;
        return [this.drafts.saveStatement(request.id, staff.id, content, now)];
      },
      { may: isHolder },
    );
    if (alreadySent) return { savedAt: null, alreadySent: true };
    return saved ? { savedAt: saved, ...draftSavedAt(saved, request.departmentCode) } : { savedAt: null };
  }

  /** This person's draft of a request they hold, thrown away (nothing to do when there is none). */
  async discardDraft(staff: StaffPrincipal, reference: string): Promise<void> {
    const request = await this.holderOnly(staff, reference);
    // Under the request's lock, as a save is: an autosave in flight cannot bring the draft back after this.
    await this.act(staff, request, null, async () => [this.drafts.deleteStatement(request.id, staff.id)], { may: isHolder });
  }

  /** This person's draft of a request they may answer (null: none), for the API. */
  async draftOf(staff: StaffPrincipal, reference: string) {
    const request = await this.answerable(staff, reference);
    return this.drafts.find(request.id, staff.id);
  }

  /**
   * Closed with a reason and, if written, a message the buyer reads with the news (where to turn after a redirection,
   * which request goes on for a duplicate); the facilitator's place is freed and the pools they serve may drain.
   */
  async close(staff: StaffPrincipal, reference: string, reason: unknown, message?: unknown, seenState?: unknown): Promise<void> {
    const seen = seenStateOf(seenState);
    // Its holder when they read it, given to a colleague since: told so (409), not that it does not exist.
    const request = await this.answeredFor(staff, reference, seen);
    const chosen = CLOSE_REASONS.find((r) => r === reason && !SYSTEM_CLOSE_REASONS.includes(r));
    const errors: FieldError[] = chosen ? [] : [{ field: 'reason', message: this.closeReasonRefusal(reason) }];
    const text = optionalText(message, 'message', errors);
    // The buyer of a duplicate must learn which of their requests goes on: without it they wait on neither.
    if (chosen === 'duplicate' && !text && !errors.some((error) => error.field === 'message'))
      errors.push({ field: 'message', message: 'Pour un doublon, dites à l’acheteur quelle demande se poursuit (sa référence).' });
    if (errors.length || !chosen) throw new ValidationFailed(errors);
    const networks = request.assignedFacilitatorId ? await this.routingRepository.networksServedBy(request.assignedFacilitatorId) : [];
    await this.act(
      staff,
      request,
      'close',
      async (status, to, manager, locked) => {
        const current = await this.routingRepository.currentAssignment(manager, request.id);
        return [
          ...(text ? this.messageStatements(request.id, staff, 'closing_message', text) : []),
          this.requests.statusStatement(request.id, to, chosen),
          draftsDeletedStatement([request.id]),
          this.requests.eventStatement({
            ...this.event(request.id, staff, 'closed', status, to, true),
            reason: CLOSE_REASON_LABELS[chosen],
          }),
          ...this.buyerNotifications.scheduleStatements(request.id, this.clock.now()),
          ...this.surveys.scheduleStatements(locked, chosen, current?.facilitatorId ?? request.assignedFacilitatorId),
          ...(current
            ? [
                this.routingRepository.endAssignmentStatement(current.id, 'finished', this.clock.now(), null),
                this.routingRepository.releaseCapacityStatement(current.facilitatorId),
                ...networks.map((networkCode) =>
                  this.outbox.addStatement('routing.drain-pool', { networkCode }, `drain-${networkCode}-${randomUUID()}`),
                ),
              ]
            : []),
        ];
      },
      { may: answersFor, reason: chosen, seen },
    );
  }

  /**
   * A closure made by mistake, undone by the holder or the network: the request goes back in progress to the
   * facilitator who held it (their place taken again, a new answer deadline, an e-mail when someone else reopened
   * it) — or, if they have left the directory since or are absent, to routing afresh; its surveys are called off
   * and the buyer is told it is being handled again.
   */
  async reopen(staff: StaffPrincipal, reference: string): Promise<'reclaimed' | 'rerouted'> {
    const request = await this.answeredFor(staff, reference);
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.lockAnsweredFor(manager, staff, request);
      const to = nextStatus(locked, 'reopen');
      if (locked.anonymisedAt) throw new ActionRefused('Les données de cette demande sont effacées : elle ne peut plus être rouverte.');
      if (!locked.assignedFacilitatorId) {
        throw new ActionRefused('Aucun facilitateur ne suivait cette demande : faites-la déposer de nouveau par l’acheteur.');
      }
      const now = this.clock.now();
      const reclaimed = await this.routing.canReclaim(manager, locked.assignedFacilitatorId, locked.departmentCode);
      const status = reclaimed ? to : 'submitted';
      const deadline = this.routing.reopenedDeadline(locked.departmentCode);
      // Told only when someone else reopened it: the holder knows what they did.
      const facilitator =
        reclaimed && !isHolder(staff, request)
          ? await this.routingRepository.facilitatorContact(manager, locked.assignedFacilitatorId)
          : null;
      await runAsOne(manager, [
        this.requests.statusStatement(locked.id, status),
        this.requests.eventStatement({
          ...this.event(locked.id, staff, 'reopened', locked.status, status, true),
          reason: reclaimed ? null : RoutingService.REROUTED_REOPENING,
        }),
        ...(reclaimed ? this.routing.reclaimStatements(locked.id, locked.departmentCode, locked.assignedFacilitatorId, deadline) : []),
        ...this.surveys.cancelStatements(locked.id),
        ...this.buyerNotifications.scheduleStatements(locked.id, now),
        ...(facilitator
          ? this.mail.prepare({
              requestId: locked.id,
              template: 'request-reopened',
              recipient: facilitator.email,
              subject: `Demande ${requestInSubject(locked.reference, locked.subject)} rouverte : elle vous revient`,
              context: {
                firstName: facilitator.firstName,
                reference: locked.reference,
                subject: locked.subject,
                reopenedBy: `${staff.firstName} ${staff.lastName}`.trim(),
                answerDueAt: deadline.dueAt,
                departmentCode: locked.departmentCode,
                actionUrl: `${this.config.PUBLIC_URL}/espace/demandes/${encodeURIComponent(locked.reference)}`,
              },
            })
          : []),
      ]);
      if (reclaimed) return 'reclaimed';
      await runAsOne(manager, await this.routing.rerouteReopenedStatements(manager, locked.id, locked.assignedFacilitatorId));
      return 'rerouted';
    });
  }

  /**
   * The buyer asked, through their network, that their data be erased: its animators (or an admin) do it at once,
   * once the request is closed, after ticking a confirmation (it cannot be undone).
   */
  async erasePersonalData(staff: StaffPrincipal, reference: string, confirm: unknown): Promise<Date> {
    const request = await this.find(staff, reference);
    if (!canReassign(staff, request)) throw new NotFound();
    assertTicked(confirm, 'Cochez la case pour confirmer : l’effacement est définitif.');
    return this.retention.eraseOnRequest(request.id, staff.id);
  }

  /**
   * The buyer told the network they want no more follow-up surveys (the privacy notice's right to object): the holder
   * or the network records it for the buyer's address, which ends the surveys to come of all its requests and stops any
   * later one until lifted (acceptSurveys). False when it was already recorded. Refused once the data are erased (no
   * address left to object for). It reaches every request of the address, so a box ticked confirms it (an API call is
   * confirmed by its caller: `true`).
   */
  async refuseSurveys(staff: StaffPrincipal, reference: string, confirm: unknown): Promise<boolean> {
    const request = await this.answeredFor(staff, reference);
    assertTicked(confirm, 'Cochez la case pour confirmer : plus aucun questionnaire ne partira à cette adresse.');
    return this.surveys.optOut(request.id, { actorType: 'staff', actorId: staff.id });
  }

  /**
   * The buyer changed their mind and told the network: the same people lift the objection of their address, confirmed
   * the same way. Requests of the address closed from now on are surveyed again; the surveys it ended stay ended.
   * False when there was none to lift.
   */
  async acceptSurveys(staff: StaffPrincipal, reference: string, confirm: unknown): Promise<boolean> {
    const request = await this.answeredFor(staff, reference);
    assertTicked(confirm, 'Cochez la case pour confirmer : les questionnaires de suivi repartiront à cette adresse.');
    return this.surveys.optIn(request.id, staff.id);
  }

  /**
   * The request, for those who answer for it (its holder, its network, admins); for anyone else it does not exist —
   * but for one who held it as `seen` says (findActionable).
   */
  private answeredFor(staff: StaffPrincipal, reference: string, seen: SeenState | null = null): Promise<Visible> {
    return this.visibility.findActionable(staff, reference, answersFor, seen);
  }

  /** The request answeredFor found, locked in `manager`'s transaction: refused if it left their hands while they waited. */
  private async lockAnsweredFor(manager: EntityManager, staff: StaffPrincipal, request: Visible): Promise<AdviceRequest> {
    const locked = await this.requests.lockForChange(manager, request.id);
    if (!locked) throw new NotFound();
    await this.visibility.refuseIfSeenThenChangedUnderLock(staff, locked, null, manager, {
      may: answersFor,
      gone: goneWhileWaiting(staff, request),
    });
    return locked;
  }

  /**
   * The buyer's contact details corrected (a mistyped address, a name changed), checked by the intake's own rules; the
   * history says who did it, never what was there. Messages not sent yet to the old address go to the new one, and
   * those it refused are sent again. A new address gets a new tracking link (whoever holds the old one, the owner of a
   * mistyped mailbox, loses it) in a message of its own, and the old address is told, without any link; the survey
   * links are renewed too, a survey waiting for its answer going to the new address. What was refused from a survey
   * link of the old address is put back only when staff tick that it was never the buyer's (`previousAddressWasWrong`):
   * the same form serves a buyer who changed mailbox, whose refusals stand.
   */
  async correctBuyer(staff: StaffPrincipal, reference: string, body: Record<string, unknown>): Promise<{ newTrackingLinkSent: boolean }> {
    const request = await this.answeredFor(staff, reference);
    const contact = await validateBody(BuyerContactDto, {
      firstName: body.firstName,
      lastName: body.lastName,
      email: body.email,
      // An emptied phone field means no phone.
      phone: typeof body.phone === 'string' && !body.phone.trim() ? undefined : body.phone,
      organisationName: body.organisationName,
    });
    const previousAddressWasWrong = tickedBox(body.previousAddressWasWrong, 'previousAddressWasWrong');
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.lockAnsweredFor(manager, staff, request);
      if (locked.anonymisedAt)
        throw new ActionRefused('Les données personnelles de cette demande sont effacées : il n’y a plus rien à corriger.');
      // A change of case is the same mailbox: same link, no one to tell.
      const token = contact.email.toLowerCase() !== locked.buyerEmail.toLowerCase() ? randomToken() : null;
      await runAsOne(manager, [
        this.requests.buyerContactStatement(
          request.id,
          { ...contact, phone: contact.phone ?? null },
          token ? { hash: sha256(token), sealed: sealTrackingToken(this.config.APP_SECRET, request.id, token) } : null,
        ),
        this.requests.eventStatement(this.event(request.id, staff, 'buyer_contact_corrected', locked.status, locked.status, false)),
      ]);
      // Before the readdressing: the survey e-mails not sent yet carry the old survey links, they are replaced, not moved.
      if (token) await runAsOne(manager, await this.surveys.newAddressStatements(manager, request.id, previousAddressWasWrong));
      // Their links are rewritten too: sent with the old token, they would open nothing.
      if (contact.email !== locked.buyerEmail) {
        await this.mail.readdressUnsent(
          manager,
          request.id,
          locked.buyerEmail,
          contact.email,
          token ? trackingLinkRewrite(locked.reference, token) : null,
        );
      }
      // After the readdressing, which would send them to the new address too.
      if (token) await runAsOne(manager, await this.addressChangedMessages(manager, locked, contact, token));
      return { newTrackingLinkSent: token !== null };
    });
  }

  /**
   * To the buyer's former address: whoever holds the new one can have the tracking link sent there (« Retrouver mes
   * demandes »), so the owner learns of it, and whom to tell if they did not ask for it; no link, it may be the wrong
   * mailbox. To the new one: the reference and the new link, which the acknowledgement gave the old one.
   */
  private async addressChangedMessages(
    manager: EntityManager,
    request: AdviceRequest,
    contact: { firstName: string; email: string },
    token: string,
  ): Promise<SqlStatement[]> {
    const common = {
      reference: request.reference,
      subject: request.subject,
      changedAt: this.clock.now(),
      departmentCode: request.departmentCode,
      networkName: this.reference.network(request.networkCode)?.name ?? request.networkCode,
      contactEmail: await this.reference.networkContactEmail(request.networkCode, manager),
    };
    // Named as every buyer mail names the request: the former address may hold several.
    const about = `Demande ${requestInSubject(request.reference, request.subject)}`;
    return this.mail.prepareMany([
      {
        requestId: request.id,
        template: 'buyer-email-changed',
        recipient: request.buyerEmail,
        subject: `${about} : l’adresse électronique de suivi a changé — Guichet vert`,
        context: { ...common, firstName: request.buyerFirstName, newAddress: maskedEmail(contact.email), linkRenewed: true },
      },
      {
        requestId: request.id,
        template: 'buyer-tracking-link',
        recipient: contact.email,
        subject: `${about} : votre lien de suivi — Guichet vert`,
        context: { ...common, firstName: contact.firstName, trackingUrl: trackingUrl(this.config.PUBLIC_URL, request.reference, token) },
      },
    ]);
  }

  private find(staff: StaffPrincipal, reference: string): Promise<Visible> {
    return this.visibility.findActionable(staff, reference, canSeeRequest);
  }

  /**
   * The assigned facilitator's own actions: for anyone else the action does not exist — except for a facilitator from
   * whom it was taken while they wrote (put back in the pool, given to a colleague): told why, with what they typed (409);
   * what changed and who did it, when they sent what they `seen` (changed_meanwhile).
   */
  private async holderOnly(
    staff: StaffPrincipal,
    reference: string,
    seen: SeenState | null = null,
    visible?: Visible | null,
  ): Promise<Visible> {
    const request = visible === undefined ? await this.visibility.findVisible(staff, reference) : visible;
    if (request && isHolder(staff, request)) return request;
    await this.visibility.refuseIfSeenThenChanged(staff, reference, seen);
    if (staff.role !== 'facilitator' || staff.facilitatorId === null) throw new NotFound();
    if (request || (await this.visibility.heldBefore(staff.facilitatorId, reference))) throw new ActionRefused(NO_LONGER_YOURS);
    throw new NotFound();
  }

  /**
   * One transaction under the request's lock: the state policy decides (409 when it refuses), after the request is
   * found as the form's writer saw it (`seen`, 409 saying what changed) and still theirs to act on as `may` (the rule
   * that let them act before the lock; else refused as goneWhileWaiting says), then everything is written at once. Returns the status the request was in.
   */
  private async act(
    staff: StaffPrincipal,
    request: Visible,
    action: RequestAction | null,
    statements: (
      from: RequestStatus,
      to: RequestStatus,
      manager: EntityManager,
      locked: RoutableRequest,
    ) => SqlStatement[] | Promise<SqlStatement[]>,
    {
      may,
      reason,
      seen = null,
    }: { may: (staff: StaffPrincipal, request: RequestScope) => boolean; reason?: CloseReason; seen?: SeenState | null },
  ): Promise<RequestStatus> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.routingRepository.lockRequest(manager, request.id);
      if (!locked) throw new NotFound();
      await this.visibility.refuseIfSeenThenChangedUnderLock(staff, locked, seen, manager, {
        may,
        gone: goneWhileWaiting(staff, request),
      });
      const to = action ? nextStatus({ status: locked.status }, action, reason) : locked.status;
      await runAsOne(manager, await statements(locked.status, to, manager, locked));
      return locked.status;
    });
  }

  /** The buyer hears of the question or the answer (debounced e-mail), and the reply window starts: without a reply the request closes by itself. */
  private buyerToldAndTimed(request: RoutableRequest): SqlStatement[] {
    const now = this.clock.now();
    return [
      ...this.buyerNotifications.scheduleStatements(request.id, now),
      ...this.autoClose.scheduleStatements(request.id, this.autoClose.dueAt(now, request.departmentCode)),
    ];
  }

  private messageStatements(
    requestId: string,
    staff: StaffPrincipal,
    kind: MessageKind,
    body: string,
    id: string = randomUUID(),
  ): SqlStatement[] {
    return this.messages.insertStatements({ id, requestId, kind, authorType: 'staff', authorId: staff.id, body });
  }

  private event(
    requestId: string,
    staff: StaffPrincipal,
    type: string,
    fromStatus: RequestStatus,
    toStatus: RequestStatus,
    isPublic: boolean,
  ): NewRequestEvent {
    return { requestId, type, fromStatus, toStatus, actorType: 'staff', actorId: staff.id, reason: null, isPublic };
  }
}

/** Who answers for a request: the facilitator holding it, its network's animators, admins. */
function answersFor(staff: StaffPrincipal, request: RequestScope): boolean {
  return isHolder(staff, request) || canReassign(staff, request);
}

function pageChanged(): AppError {
  return new ActionRefused('Cette action n’est plus possible : la demande a changé entre-temps. Rechargez la page.');
}

function requiredText(value: unknown, field: string, missing: string): string {
  const text = typedText(value);
  if (!text) throw new ValidationFailed([{ field, message: missing }]);
  if (text.length > STAFF_TEXT_MAX)
    throw new ValidationFailed([{ field, message: `Le texte ne doit pas dépasser ${frenchNumber(STAFF_TEXT_MAX)} caractères.` }]);
  return text;
}

/** Trimmed text, or null when absent or blank; anything but a string, or an over-long text, adds its field error. */
function optionalText(value: unknown, field: string, errors: FieldError[]): string | null {
  if (value !== undefined && value !== null && typeof value !== 'string') errors.push({ field, message: 'Écrivez un texte.' });
  const text = typedText(value);
  if (text.length > STAFF_TEXT_MAX)
    errors.push({ field, message: `Le texte ne doit pas dépasser ${frenchNumber(STAFF_TEXT_MAX)} caractères.` });
  return text || null;
}

/** A confirmation box of a form or an API's `true`; else the form comes back with `message`. */
function assertTicked(confirm: unknown, message: string): void {
  if (!isTicked(confirm)) throw new ValidationFailed([{ field: 'confirm', message }]);
}
