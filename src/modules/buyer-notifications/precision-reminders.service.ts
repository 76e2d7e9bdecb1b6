import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logging.module';
import { requestInSubject } from '../../common/french-format';
import { AppConfig } from '../../config/app-config';
import { runAsOne } from '../../database/sql-statement';
import { eachApart } from '../../queue/interval-sweep';
import { MailService } from '../mail/mail.service';
import { CLARIFICATION_REMINDER_DAYS_LEFT, clarificationReminderDue, replyWindowEnd } from '../requests/reply-window.policy';
import { RequestMessagesRepository } from '../requests/request-messages.repository';
import { PRECISION_REMINDED_EVENT, RequestsRepository } from '../requests/requests.repository';
import { trackingLinkOf } from '../requests/tracking-url';

/**
 * A buyer who has not given the precision asked is reminded once, three working days before the request closes without
 * it: a question missed in a busy inbox should not cost them their request. Found by the lifecycle sweep from
 * PostgreSQL (no timer to lose); the reminder is a history event, so each question is reminded once.
 */
@Injectable()
export class PrecisionRemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsRepository,
    private readonly messages: RequestMessagesRepository,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async remindDue(limit: number): Promise<number> {
    const days = this.config.REPLY_WINDOW_WORKING_DAYS;
    // A reminder falls at least as many calendar days as working days after the question: older ones are the candidates.
    const earliest = new Date(this.clock.now().getTime() - Math.max(0, days - CLARIFICATION_REMINDER_DAYS_LEFT) * 86_400_000);
    return eachApart(
      await this.requests.awaitingPrecisionUnreminded(earliest, limit),
      (requestId) => this.remindIfDue(requestId),
      this.logger,
      'relance de la précision impossible pour cette demande, réessayée au prochain passage',
    );
  }

  /**
   * Idempotent: a request no longer awaiting the buyer, already reminded, or not yet due (nor out of office hours) is
   * left as it is; the sweep finds it again at the next pass.
   */
  async remindIfDue(requestId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.requests.lockForChange(manager, requestId);
      if (request?.status !== 'awaiting_buyer' || !request.buyerEmail) return false;
      const since = await this.requests.enteredStatusAt(manager, requestId, 'awaiting_buyer');
      const days = this.config.REPLY_WINDOW_WORKING_DAYS;
      if (!since || !clarificationReminderDue(since, this.clock.now(), request.departmentCode, days)) return false;
      if (await this.requests.remindedOfPrecision(manager, requestId)) return false;
      const closesAt = replyWindowEnd(since, request.departmentCode, days);
      const question = [...(await this.messages.messagesOf(requestId, 'buyer', manager))]
        .reverse()
        .find((message) => message.kind === 'clarification_question');
      await runAsOne(manager, [
        this.requests.eventStatement({
          requestId,
          type: PRECISION_REMINDED_EVENT,
          // No status: the wait still dates from the question (the closure and the pauses count from it).
          fromStatus: null,
          toStatus: null,
          actorType: 'system',
          actorId: null,
          reason: null,
          isPublic: false,
        }),
        ...this.mail.prepare({
          requestId,
          template: 'buyer-precision-reminder',
          recipient: request.buyerEmail,
          subject: `Votre demande ${requestInSubject(request.reference, request.subject)} : une précision vous est toujours demandée — Guichet vert`,
          context: {
            firstName: request.buyerFirstName,
            reference: request.reference,
            subject: request.subject,
            question: question?.body ?? null,
            closesAt,
            departmentCode: request.departmentCode,
            trackingUrl: trackingLinkOf(this.config, request),
          },
        }),
      ]);
      return true;
    });
  }
}
