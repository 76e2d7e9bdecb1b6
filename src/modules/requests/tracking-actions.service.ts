import { draftsDeletedStatement } from '../answer-drafts/answer-drafts.repository';
import { frenchNumber, requestInSubject } from '../../common/french-format';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { secondsUntilAllowed, ThrottleLimit, windowStart } from '../accounts/throttle.policy';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { AppError, ValidationFailed } from '../../common/errors/app-errors';
import { isFormRepeatKey, repeatableId, repeatedPageSince } from '../../common/idempotency-key';
import { typedText } from '../../common/validation';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { AttachmentsService, PreparedAttachment, UploadedFile } from '../attachments/attachments.service';
import { MailService } from '../mail/mail.service';
import { RoutingRepository } from '../routing/routing.repository';
import { RoutingService } from '../routing/routing.service';
import { SurveysService } from '../surveys/surveys.service';
import { replyPermission } from './reply-window.policy';
import type { MessageKind } from './request-message.types';
import { nextStatus } from './request-state.policy';
import { AdviceRequest } from './request.entities';
import { CloseReason, RequestAction, WITHDRAWAL_REASON_LABELS, WITHDRAWAL_REASONS } from './request.types';
import { RequestMessagesRepository } from './request-messages.repository';
import { RequestsRepository } from './requests.repository';
import { TrackingService } from './tracking.service';

export const BUYER_MESSAGE_MAX = 5000;
const BUYER_MESSAGE_MIN = 2;

/**
 * What the buyer sends from the tracking page or the API: the text, and what makes a second sending of it the same
 * message — the page form's one-time token or the API client's `Idempotency-Key` (formRepeatKey, apiRepeatKey).
 */
export interface BuyerMessageInput {
  message: unknown;
  repeatKey?: string;
  /** Files sent with it (the tracking page's form, or the API as multipart), checked as a facilitator's are. */
  files?: UploadedFile[];
}

/**
 * A buyer's message about to be stored, with its files, and whether the tracking page sent it. The files' statements
 * run only with a message not stored yet: a form sent twice stores them once.
 */
type BuyerMessage = { id: string; body: string; fromPage: boolean; files: PreparedAttachment[]; fileStatements: SqlStatement[] };

type FacilitatorNews = {
  what: 'clarification' | 'reply' | 'information' | 'withdrawn' | 'resolved';
  body: string | null;
  /** After a precision: the answer deadline, moved by the time the request waited for it. */
  answerDueAt?: Date | null;
};

/** A staff reader of the buyer's news other than the request's holder: an animator, or the network's contact address. */
type PoolReader = { email: string; firstName: null; toNetworkContact: boolean };

/**
 * What the buyer does from their private link: give the precision asked, reply to the answer or say it resolved their
 * question, add information, withdraw. Each is
 * one transaction under the request's lock: the message, the status, the public history event, the facilitator's
 * e-mail (and for a withdrawal, the facilitator's place freed).
 */
@Injectable()
export class TrackingActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tracking: TrackingService,
    private readonly requests: RequestsRepository,
    private readonly messages: RequestMessagesRepository,
    private readonly routing: RoutingService,
    private readonly routingRepository: RoutingRepository,
    private readonly mail: MailService,
    private readonly surveys: SurveysService,
    private readonly attachments: AttachmentsService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** awaiting_buyer → in_progress, with the buyer's precision. */
  async clarify(reference: string, token: unknown, input: BuyerMessageInput): Promise<Sending> {
    const request = await this.tracking.authorise(reference, token);
    const body = validMessage(input.message, 'précision');
    const message = this.messageOf(request.id, input, body);
    return this.inTransaction(request, message, async (manager, locked) => {
      const to = nextStatus(locked, 'buyer_clarified');
      const resumed = await this.routing.pauseEnded(manager, locked, this.clock.now());
      return [
        ...this.buyerMessage(locked.id, message, 'buyer_clarification'),
        ...this.change(locked, to, 'buyer_clarified'),
        ...resumed.statements,
        ...(await this.facilitatorMail(manager, locked, { what: 'clarification', body, answerDueAt: resumed.answerDueAt }, message)),
      ];
    });
  }

  /** answered (or closed after an answer, within the window) → in_progress, with the buyer's reply. */
  async reply(reference: string, token: unknown, input: BuyerMessageInput): Promise<Sending> {
    const request = await this.tracking.authorise(reference, token);
    const body = validMessage(input.message, 'réponse');
    const message = this.messageOf(request.id, input, body);
    return this.inTransaction(request, message, async (manager, locked) => {
      const answeredAt = await this.messages.latestAt(manager, locked.id, 'answer');
      const days = this.config.REPLY_WINDOW_WORKING_DAYS;
      const permission = replyPermission(locked, answeredAt, this.clock.now(), locked.departmentCode, days);
      if (!permission.allowed) throw new AppError('conflict', permission.message, [{ field: 'message', message: permission.message }]);
      const to = nextStatus(locked, 'buyer_replied_to_answer');
      // The facilitator who answered takes it again — or, once they have left routing or while absent, routing gives it
      // to another (answered: their assignment ends now; closed: it ended with the closure); surveys wait for its next
      // closure.
      const holderId = locked.assignedFacilitatorId;
      const away = holderId ? await this.routing.whyNotReclaimable(manager, holderId, locked.departmentCode) : null;
      if (away) {
        const left = locked.status === 'closed' ? { statements: [] } : await this.routing.releaseStatements(manager, locked.id, away);
        return [
          [
            ...this.buyerMessage(locked.id, message, 'buyer_reply'),
            ...left.statements,
            this.requests.statusStatement(locked.id, 'submitted'),
            this.requests.eventStatement(this.eventOf(locked, 'submitted', 'buyer_replied', RoutingService.REROUTED_REOPENING)),
            ...this.surveys.cancelStatements(locked.id),
          ],
          await this.routing.rerouteReopenedStatements(manager, locked.id, holderId),
        ];
      }
      if (locked.status !== 'closed') {
        const reopened = await this.routing.answerReopened(manager, locked);
        return [
          ...this.buyerMessage(locked.id, message, 'buyer_reply'),
          ...this.change(locked, to, 'buyer_replied'),
          ...reopened.statements,
          ...(await this.facilitatorMail(manager, locked, { what: 'reply', body, answerDueAt: reopened.answerDueAt }, message)),
        ];
      }
      const deadline = this.routing.reopenedDeadline(locked.departmentCode);
      return [
        ...this.buyerMessage(locked.id, message, 'buyer_reply'),
        ...this.change(locked, to, 'buyer_replied'),
        ...(holderId ? this.routing.reclaimStatements(locked.id, locked.departmentCode, holderId, deadline) : []),
        ...this.surveys.cancelStatements(locked.id),
        ...(await this.facilitatorMail(manager, locked, { what: 'reply', body, answerDueAt: holderId ? deadline.dueAt : null }, message)),
      ];
    });
  }

  /** A detail the buyer forgot, before any answer: the status stays; the facilitator is told, or in the pool its animators. */
  async addInformation(reference: string, token: unknown, input: BuyerMessageInput): Promise<Sending> {
    const request = await this.tracking.authorise(reference, token);
    const body = validMessage(input.message, 'information');
    const message = this.messageOf(request.id, input, body);
    return this.inTransaction(request, message, async (manager, locked) => {
      const to = nextStatus(locked, 'buyer_added_information');
      // Each one e-mails the facilitator: whoever holds the link must not be able to flood their mailbox.
      const now = this.clock.now();
      // The same text again within minutes is the page sent anew after « Retour » (with a new form token): kept once.
      // An API client says with its Idempotency-Key whether a sending is new.
      const sameText = { requestId: locked.id, kind: 'buyer_information' as const, authorType: 'buyer' as const, authorId: null, body };
      if (message.fromPage && (await this.messages.writtenSince(manager, sameText, repeatedPageSince(now)))) return [];
      const since = windowStart(INFORMATION_LIMIT, now);
      const wait = secondsUntilAllowed(
        INFORMATION_LIMIT,
        await this.messages.nthLatestAt(manager, locked.id, 'buyer_information', since, INFORMATION_LIMIT.max),
        now,
      );
      if (wait) throw informationLimited(wait);
      return [
        ...this.buyerMessage(locked.id, message, 'buyer_information'),
        this.requests.eventStatement(this.eventOf(locked, to, 'buyer_added_information', null)),
        ...(await this.facilitatorMail(manager, locked, { what: 'information', body }, message)),
      ];
    });
  }

  /** Refuses with the French reason when the request can no longer be withdrawn (the confirmation page asks first). */
  async assertWithdrawable(reference: string, token: unknown): Promise<AdviceRequest> {
    const request = await this.tracking.authorise(reference, token);
    nextStatus(request, 'withdraw');
    return request;
  }

  /**
   * Any open status → closed as withdrawn, with the buyer's reason if they gave one (a code of WITHDRAWAL_REASONS,
   * anything else a 400); the facilitator, if any, is told and gets their place back.
   */
  async withdraw(reference: string, token: unknown, why?: unknown): Promise<void> {
    const given = why === undefined || why === null || why === '' ? null : WITHDRAWAL_REASONS.find((reason) => reason === why);
    if (given === undefined) throw new ValidationFailed([{ field: 'reason', message: 'Choisissez une raison de la liste, ou aucune.' }]);
    await this.closeOnBuyersWord(reference, token, {
      action: 'withdraw',
      reason: 'withdrawn',
      event: 'withdrawn',
      news: 'withdrawn',
      // The history line keeps the buyer's reason when given (its label in French for staff), else the closure's.
      eventReason: given ?? 'withdrawn',
      body: given ? `Raison indiquée : ${WITHDRAWAL_REASON_LABELS[given]}.` : null,
    });
  }

  /**
   * answered → closed as answered, at the buyer's word rather than at the reply window's end: the facilitator's place
   * is freed and told, the follow-up surveys are planned as for any answered closure.
   */
  async resolve(reference: string, token: unknown): Promise<void> {
    await this.closeOnBuyersWord(reference, token, {
      action: 'buyer_resolved',
      reason: 'answered',
      event: 'buyer_resolved',
      news: 'resolved',
    });
  }

  /** The buyer closes the request: its status, a public event, the facilitator's place and e-mail, the surveys due for that reason. */
  private async closeOnBuyersWord(
    reference: string,
    token: unknown,
    closing: {
      action: RequestAction;
      reason: CloseReason;
      event: string;
      news: FacilitatorNews['what'];
      eventReason?: string;
      body?: string | null;
    },
  ): Promise<void> {
    const request = await this.tracking.authorise(reference, token);
    const freed = await this.dataSource.transaction(async (manager) => {
      const locked = (await this.requests.lockForChange(manager, request.id))!;
      // Sent twice (a double click): the first one did it.
      if (locked.status === 'closed' && locked.closeReason === closing.reason) return null;
      const to = nextStatus(locked, closing.action);
      const release = await this.routing.releaseStatements(manager, locked.id);
      await runAsOne(manager, [
        this.requests.statusStatement(locked.id, to, closing.reason),
        draftsDeletedStatement([locked.id]),
        this.requests.eventStatement(this.eventOf(locked, to, closing.event, closing.eventReason ?? closing.reason)),
        ...release.statements,
        ...this.surveys.scheduleStatements(locked, closing.reason, release.facilitatorId ?? locked.assignedFacilitatorId),
        ...(await this.facilitatorMail(manager, locked, { what: closing.news, body: closing.body ?? null })),
      ]);
      return release.facilitatorId;
    });
    if (freed) await this.routing.scheduleDrains(freed);
  }

  /**
   * Runs the statements `build` returns under the request's lock — or its batches one after the other, when a
   * later one must see what an earlier one wrote. A message already stored (form or API call sent twice) does
   * nothing; a key or form token already used for another text is refused, as the intake refuses one.
   */
  private async inTransaction(
    request: AdviceRequest,
    message: BuyerMessage,
    build: (manager: EntityManager, locked: AdviceRequest) => Promise<SqlStatement[] | SqlStatement[][]>,
  ): Promise<Sending> {
    return this.dataSource.transaction(async (manager) => {
      const locked = (await this.requests.lockForChange(manager, request.id))!;
      const stored = await this.messages.bodyOf(manager, message.id);
      if (stored !== null) {
        if (stored !== message.body) throw keyReused();
        return { replayed: true };
      }
      const built = await build(manager, locked);
      const batches = built.length && Array.isArray(built[0]) ? (built as SqlStatement[][]) : [built as SqlStatement[]];
      for (const batch of batches) await runAsOne(manager, batch);
      return { replayed: false };
    });
  }

  /** The message, then its files (they name it). */
  private buyerMessage(requestId: string, message: BuyerMessage, kind: MessageKind): SqlStatement[] {
    return [
      ...this.messages.insertStatements({ id: message.id, requestId, kind, authorType: 'buyer', authorId: null, body: message.body }),
      ...message.fileStatements,
    ];
  }

  /**
   * The page form's one-time token, or the API's key, names the message, so one sent twice is stored once. Its files
   * are checked now, before anything is written: a refused one refuses the message (413, 415 or 400 by file).
   */
  private messageOf(requestId: string, input: BuyerMessageInput, body: string): BuyerMessage {
    const id = repeatableId(this.config.APP_SECRET, input.repeatKey, 'buyer-message', requestId);
    const owner = { requestId, messageId: id, uploadedByType: 'buyer' as const, uploadedById: null };
    const prepared = this.attachments.prepare(input.files ?? [], owner);
    return {
      id,
      body,
      fromPage: isFormRepeatKey(input.repeatKey),
      files: prepared.attachments,
      fileStatements: prepared.statements,
    };
  }

  private change(request: AdviceRequest, to: AdviceRequest['status'], type: string): SqlStatement[] {
    return [this.requests.statusStatement(request.id, to), this.requests.eventStatement(this.eventOf(request, to, type, null))];
  }

  private eventOf(request: AdviceRequest, to: AdviceRequest['status'], type: string, reason: string | null) {
    return {
      requestId: request.id,
      type,
      fromStatus: request.status,
      toStatus: to,
      actorType: 'buyer' as const,
      actorId: null,
      reason,
      isPublic: true,
    };
  }

  /**
   * The holder's e-mail of the buyer's news; `reader`: another staff reader instead (poolMail). Without a holder, an
   * information added to a request in the pool goes to its network's animators, whom nothing else would tell.
   */
  private async facilitatorMail(
    manager: EntityManager,
    request: AdviceRequest,
    news: FacilitatorNews,
    message?: BuyerMessage,
    reader?: PoolReader,
  ): Promise<SqlStatement[]> {
    const facilitator =
      reader ??
      (request.assignedFacilitatorId && (await this.routingRepository.facilitatorContact(manager, request.assignedFacilitatorId)));
    if (!facilitator)
      return news.what === 'information' && request.status === 'unassigned' ? this.poolMail(manager, request, news, message) : [];
    const subjects = {
      clarification: ' : l’acheteur a apporté sa précision',
      reply: ' : l’acheteur a répondu, la demande est rouverte',
      information: ' : l’acheteur a ajouté une information',
      withdrawn: ' retirée par l’acheteur',
      resolved: ' : l’acheteur indique que sa question est résolue',
    };
    return this.mail.prepare({
      requestId: request.id,
      template: 'facilitator-buyer-message',
      recipient: facilitator.email,
      subject: `Demande ${requestInSubject(request.reference, request.subject)}${subjects[news.what]}`,
      context: {
        firstName: facilitator.firstName,
        reference: request.reference,
        subject: request.subject,
        what: news.what,
        body: news.body,
        fileNames: message?.files.map((file) => file.fileName) ?? [],
        answerDueAt: news.answerDueAt ?? null,
        departmentCode: request.departmentCode,
        workspaceUrl: `${this.config.PUBLIC_URL}/espace/demandes/${encodeURIComponent(request.reference)}`,
        ...(reader ? { inPool: true, toNetworkContact: reader.toNetworkContact } : {}),
      },
    });
  }

  /** The same news to each of the network's animators (its contact address, for want of one), the request in its pool. */
  private async poolMail(
    manager: EntityManager,
    request: AdviceRequest,
    news: FacilitatorNews,
    message?: BuyerMessage,
  ): Promise<SqlStatement[]> {
    const network = await this.routingRepository.networkRecipients(manager, request.networkCode);
    const statements: SqlStatement[] = [];
    for (const email of network?.emails ?? []) {
      const reader = { email, firstName: null, toNetworkContact: network!.toContact };
      statements.push(...(await this.facilitatorMail(manager, request, news, message, reader)));
    }
    return statements;
  }
}

/** Information the buyer adds, at most this many in a sliding hour: enough for what was forgotten, not a chat. */
/** replayed: the message was already stored under this key (an API client's retry): nothing done again. */
export interface Sending {
  replayed: boolean;
}

export const INFORMATION_LIMIT: ThrottleLimit = { max: 5, windowMinutes: 60 };

function informationLimited(seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  const message = `Vous avez déjà ajouté ${INFORMATION_LIMIT.max} informations dans l’heure, que le guichet a reçues : pour en ajouter une autre, attendez ${minutes} minute${minutes > 1 ? 's' : ''}, ou regroupez-les.`;
  return new AppError('rate_limited', message, [{ field: 'message', message }], { retryAfterSeconds: seconds });
}

/** What the buyer writes, as the form's label names it (« Votre précision »): the errors use the same word. */
export type BuyerMessageNoun = 'message' | 'précision' | 'réponse' | 'information';

/** The buyer's text: required, trimmed, within limits; a French field error otherwise. */
export function validMessage(value: unknown, noun: BuyerMessageNoun = 'message'): string {
  const text = typedText(value);
  const problem = !text
    ? `Écrivez votre ${noun}.`
    : text.length < BUYER_MESSAGE_MIN
      ? `Votre ${noun} doit faire au moins ${BUYER_MESSAGE_MIN} caractères.`
      : text.length > BUYER_MESSAGE_MAX
        ? `Votre ${noun} doit faire au plus ${frenchNumber(BUYER_MESSAGE_MAX)} caractères (il en fait ${frenchNumber(text.length)}).`
        : null;
  if (problem) throw new AppError('validation_failed', 'Le message contient une erreur.', [{ field: 'message', message: problem }]);
  return text;
}

function keyReused(): AppError {
  return new AppError(
    'idempotency_key_reused',
    'Cette clé d’idempotence a déjà servi pour un autre message : utilisez une nouvelle clé pour un nouveau message.',
    [{ field: 'Idempotency-Key', message: 'Clé déjà utilisée avec un contenu différent.' }],
  );
}
