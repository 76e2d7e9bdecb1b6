import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Clock } from '../../common/clock';
import { requestInSubject } from '../../common/french-format';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { eachApart } from '../../queue/interval-sweep';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { OutboxRepository, timerDelayMs } from '../../queue/outbox.repository';
import { downloadDetail } from '../attachments/file-type.policy';
import { MailService } from '../mail/mail.service';
import { AdviceRequest } from '../requests/request.entities';
import { HelpItemView, MessageView, RequestMessagesRepository } from '../requests/request-messages.repository';
import { affiliationOf, atSentenceStart, authorNamedInBuyerMail } from '../requests/message-author.policy';
import { HELP_ITEM_TYPE_LABELS, MessageKind, REFERRAL_TARGET_LABELS } from '../requests/request-message.types';
import { BUYER_CLOSE_REASON_LABELS, STATUS_LABELS } from '../requests/request.types';
import { replyPermission, replyWindowEnd } from '../requests/reply-window.policy';
import { RequestsRepository } from '../requests/requests.repository';
import { trackingLinkOf } from '../requests/tracking-url';
import { BuyerChange, buyerChanges, buyerMailAt, statusTold, subjectChanges } from './buyer-update.policy';
import { BuyerNotificationsRepository } from './buyer-notifications.repository';

/** Events may commit out of id order: an incremental sweep looks this many ids below where the last one ended. */
const SWEEP_LOOKBACK_IDS = 1000n;
/** The safety net of the incremental sweeps: a pass over the recent history this often. */
const FULL_SWEEP_MS = 3600_000;
/**
 * How far back the hourly pass reads: news whose job was lost, or whose e-mail failed, is retried this long, two days
 * and more after an automatic closure held for the buyer's office hours may leave (Alsace's Easter holds one made on
 * Thursday evening until Tuesday); older history is read by each worker's first pass only, as it grows with every request.
 */
const FULL_SWEEP_HISTORY_MS = 7 * 86_400_000;

const SUBJECTS: Record<BuyerChange['kind'] | 'complement' | 'waiting', string> = {
  taken: 'prise en charge par un facilitateur',
  question: 'une précision vous est demandée',
  answer: 'la réponse du facilitateur',
  complement: 'complément à la réponse du facilitateur',
  waiting: 'en attente d’un autre facilitateur',
  closed: 'demande clôturée',
  reopened: 'demande rouverte',
  transferred: 'demande transmise à un autre facilitateur',
  other: 'du nouveau',
};

/**
 * E-mails to the buyer, debounced: each change schedules a delayed job whose id is shared by every change in
 * the same time slot, and the job sends one message covering everything new since the last one.
 */
@Injectable()
export class BuyerNotificationsService {
  /** Every event up to this id was swept cleanly (nothing left overdue), so the next sweep starts near it. */
  private sweptUpTo = 0n;
  private lastFullSweepAt = -Infinity;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: BuyerNotificationsRepository,
    private readonly requests: RequestsRepository,
    private readonly messages: RequestMessagesRepository,
    private readonly outbox: OutboxRepository,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * To run in the transaction of a change the buyer should hear of (after its public history event): the job
   * that e-mails them once the debounce delay is over. Changes in the same slot share the job (same id).
   */
  scheduleStatements(requestId: string, now: Date): SqlStatement[] {
    const delayMs = this.config.BUYER_MAIL_DEBOUNCE_SECONDS * 1000;
    const slot = Math.floor(now.getTime() / delayMs);
    return [this.outbox.addStatement('buyer.notify', { requestId }, `buyer-notify-${requestId}-${slot}`, delayMs)];
  }

  /**
   * To run in the transaction of a closure by the end of the buyer's window: its e-mail, debounced as any news, or
   * when that falls outside the buyer's office hours a job of its own at their opening (the slot's would find it held).
   */
  scheduleAutoClosureStatements(requestId: string, now: Date, departmentCode: string): SqlStatement[] {
    const due = new Date(now.getTime() + this.config.BUYER_MAIL_DEBOUNCE_SECONDS * 1000);
    const at = buyerMailAt([{ kind: 'closed', automatic: true }], due, departmentCode);
    if (at.getTime() === due.getTime()) return this.scheduleStatements(requestId, now);
    return [this.outbox.addStatement('buyer.notify', { requestId }, `buyer-notify-${requestId}-at-${at.getTime()}`, timerDelayMs(at, now))];
  }

  /** Idempotent: the mark moves with the e-mail, so a job delivered twice (or a sweep after it) sends nothing more. */
  async notify(requestId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.requests.lockForChange(manager, requestId);
      if (!request) return false;
      const events = await this.repository.eventsAfter(manager, requestId, request.buyerNotifiedEventId);
      if (!events.length) return false;
      // Once its personal data are erased, there is no one left to tell: the news is marked as handled, nothing sent.
      const changes = request.anonymisedAt ? [] : buyerChanges(events);
      // News held for the buyer's office hours stays unmarked: the job at their opening, or a sweep after it, sends it.
      const now = this.clock.now();
      if (buyerMailAt(changes, now, request.departmentCode) > now) return false;
      const statements = [this.repository.markStatement(requestId, events[events.length - 1].id)];
      if (changes.length) statements.push(...(await this.updateMail(manager, request, changes)));
      await runAsOne(manager, statements);
      return changes.length > 0;
    });
  }

  /**
   * Requests whose e-mail is overdue (their job lost) are e-mailed now. A sweep reads the history written since
   * the last clean one, not the whole history each minute; once an hour it reads the last week's, and the
   * worker's first pass everything.
   */
  async sendOverdue(now: Date, limit: number): Promise<number> {
    const before = new Date(now.getTime() - this.config.BUYER_MAIL_DEBOUNCE_SECONDS * 1000);
    const full = now.getTime() - this.lastFullSweepAt >= FULL_SWEEP_MS;
    const startId = await this.sweepStart(now, full);
    const fromId = startId <= SWEEP_LOOKBACK_IDS ? 0n : startId - SWEEP_LOOKBACK_IDS;
    const upTo = await this.repository.lastEventBefore(before, fromId);
    const pending = await this.repository.pending(before, limit, fromId);
    const sent = await eachApart(
      pending,
      (requestId) => this.notify(requestId),
      this.logger,
      'nouvelles non envoyées à l’acheteur de cette demande, réessayées au prochain passage complet',
    );
    // A full batch may have left more behind: the next sweep starts from the same place.
    if (pending.length < limit) {
      if (upTo !== null && upTo > this.sweptUpTo) this.sweptUpTo = upTo;
      if (full) this.lastFullSweepAt = now.getTime();
    }
    return sent;
  }

  /** After the last clean sweep; for the hourly pass, the last event over a week old; for the worker's first pass, the beginning. */
  private async sweepStart(now: Date, full: boolean): Promise<bigint> {
    if (!full) return this.sweptUpTo;
    if (this.lastFullSweepAt === -Infinity) return 0n;
    return (await this.repository.lastEventBefore(new Date(now.getTime() - FULL_SWEEP_HISTORY_MS), 0n)) ?? 0n;
  }

  private async updateMail(manager: EntityManager, request: AdviceRequest, changes: BuyerChange[]): Promise<SqlStatement[]> {
    const conversation = await this.messages.messagesOf(request.id, 'buyer', manager);
    // Who follows it now, by first name as the tracking page names them; a question or an answer is signed by its author.
    const facilitator = request.assignedFacilitatorId
      ? await this.requests.facilitatorShownToBuyer(request.assignedFacilitatorId, manager)
      : null;
    const takenBy =
      facilitator && changes.some((change) => change.kind === 'taken') ? { ...facilitator, affiliation: affiliationOf(facilitator) } : null;
    const link = trackingLinkOf(this.config, request);
    const latest = (kind: MessageKind) => [...conversation].reverse().find((m) => m.kind === kind) ?? null;
    const lastWord = conversation.at(-1);
    const question = latest('clarification_question');
    const answer = latest('answer');
    // The day the buyer's window ends, counted from the message as the tracking page and the automatic closure count it.
    const replyBy = (message: MessageView | null) =>
      message ? replyWindowEnd(message.createdAt, request.departmentCode, this.config.REPLY_WINDOW_WORKING_DAYS) : null;
    const replyAfterClosure =
      request.status === 'closed'
        ? replyPermission(
            request,
            answer?.createdAt ?? null,
            this.clock.now(),
            request.departmentCode,
            this.config.REPLY_WINDOW_WORKING_DAYS,
          )
        : null;
    return this.mail.prepare({
      requestId: request.id,
      template: 'buyer-update',
      recipient: request.buyerEmail,
      // Each piece of news in the preview line's words, joined as there: « la réponse du facilitateur, demande clôturée ».
      subject: `Votre demande ${requestInSubject(request.reference, request.subject)} : ${subjectChanges(changes)
        .map((change) => SUBJECTS[newsOf(change)])
        .join(', ')} — Guichet vert`,
      context: {
        firstName: request.buyerFirstName,
        reference: request.reference,
        subject: request.subject,
        departmentCode: request.departmentCode,
        statusLabel: STATUS_LABELS[request.status],
        // The preview line gives the status only where no news already says it (« demande clôturée. Statut : Clôturée. »).
        statusInNews: statusTold(changes, request.status),
        closeReasonLabel: request.closeReason ? BUYER_CLOSE_REASON_LABELS[request.closeReason] : null,
        closedForNoReply: request.closeReason === 'no_reply',
        // News of an answer lands on it (its anchor on the tracking page), not at the top of a long page.
        trackingUrl: link && changes.some((change) => change.kind === 'answer') ? `${link}#reponse` : link,
        // Said only where no date is known (a message queued before the dates below were given).
        replyWindowDays: this.config.REPLY_WINDOW_WORKING_DAYS,
        answerDays: this.config.ANSWER_WORKING_DAYS,
        takenBy,
        // A question or an answer invites a reply only while the request still waits for it (not once closed).
        waitingForQuestionReply: request.status === 'awaiting_buyer',
        waitingForAnswerReply: request.status === 'answered',
        questionReplyBy: request.status === 'awaiting_buyer' ? replyBy(question) : null,
        answerReplyUntil: request.status === 'answered' ? replyBy(answer) : null,
        // Closed by a person before the buyer's time to reply was over: that time still runs, and a reply reopens it.
        closedReplyUntil: replyAfterClosure?.allowed ? replyAfterClosure.until : null,
        changes: changes.map((change) => ({
          ...change,
          // The preview line names each piece of news in the subject's words (a complement as such).
          label: change.kind === 'other' ? null : SUBJECTS[newsOf(change)],
          statusLabel: change.kind === 'other' && change.toStatus ? STATUS_LABELS[change.toStatus] : null,
          question: change.kind === 'question' ? question?.body : null,
          // Asked before a hand-over, or by the network's animation, the question is its author's: named as the tracking
          // page names them, never after the request's present holder.
          askedBy: change.kind === 'question' && question ? atSentenceStart(authorNamedInBuyerMail(question.author)) : null,
          answers: change.kind === 'answer' ? answersShown(conversation, change) : null,
          // A closing message is the conversation's last word: a reopening needs the buyer's reply after it.
          message: change.kind === 'closed' && lastWord?.kind === 'closing_message' ? lastWord.body : null,
        })),
      },
    });
  }
}

/** A piece of news as the subject names it: a complement so (the buyer read the answer it completes), and a wait for a facilitator. */
function newsOf(change: BuyerChange): keyof typeof SUBJECTS {
  if (change.kind === 'answer' && change.complement) return 'complement';
  return change.kind === 'transferred' && change.waiting ? 'waiting' : change.kind;
}

/** The answers the e-mail gives in full, the latest `count`; each after the first (or all, after one read) a complement. */
function answersShown(conversation: MessageView[], change: Extract<BuyerChange, { kind: 'answer' }>) {
  const answers = conversation.filter((message) => message.kind === 'answer').slice(-change.count);
  return answers.map((message, index) => ({ ...answerView(message), complement: change.complement || index > 0 }));
}

/** An answer as the e-mail lists it: the text, each help item with its French label, all its files as the site names them. */
function answerView(answer: MessageView) {
  const files = [...answer.items.flatMap((item) => (item.attachment ? [item.attachment] : [])), ...answer.otherFiles];
  return {
    body: answer.body,
    authorName: authorNamedInBuyerMail(answer.author),
    items: answer.items.map(itemView),
    files: files.map((file) => ({ name: file.fileName, detail: downloadDetail(file.mediaType, file.size) })),
  };
}

const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

function itemView(item: HelpItemView) {
  return {
    typeLabel: HELP_ITEM_TYPE_LABELS[item.type],
    title: item.legalReference?.label ?? item.title ?? item.attachment?.fileName ?? null,
    url: item.legalReference?.url ?? item.url,
    fileName: item.attachment?.fileName ?? null,
    peer: item.type === 'peer' ? [item.peerName, item.peerOrganisation, item.peerContact].filter(Boolean).join(', ') : null,
    // The HTML part links a contact that is an e-mail address (the text part keeps `peer`, the whole line).
    peerName: item.type === 'peer' ? [item.peerName, item.peerOrganisation].filter(Boolean).join(', ') : null,
    peerEmail: item.type === 'peer' && item.peerContact && EMAIL_ADDRESS.test(item.peerContact.trim()) ? item.peerContact.trim() : null,
    referral: item.referralTarget ? REFERRAL_TARGET_LABELS[item.referralTarget] : null,
    details: item.details,
  };
}
