import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ValidationFailed } from '../../common/errors/app-errors';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { runAsOne } from '../../database/sql-statement';
import { emailProblem, normalizeEmail } from '../accounts/credentials.policy';
import { NO_REQUEST_MAILS_LIMIT } from '../accounts/throttle.policy';
import { ThrottleService } from '../accounts/throttle.service';
import { MailService, MailToQueue } from '../mail/mail.service';
import { BUYER_CLOSE_REASON_LABELS, STATUS_LABELS } from './request.types';
import { RequestsRepository } from './requests.repository';
import { LinkedRequest, trackingLinkOf } from './tracking-url';

/** The e-mail lists this many requests at most, the latest first: older ones are closed and rarely wanted. */
const MAX_LINKS = 20;

/**
 * A buyer who lost their tracking links gets them again by e-mail, at the address they gave. The answer is the
 * same whether or not that address has requests, and asks are throttled per client and per address.
 */
@Injectable()
export class TrackingLinksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsRepository,
    private readonly mail: MailService,
    private readonly throttle: ThrottleService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Throws ValidationFailed for an address that cannot be one, AppError rate_limited (429) for too many asks. */
  async sendLinks(emailInput: unknown, clientAddress: string): Promise<void> {
    const email = normalizeEmail(emailInput);
    const problem = emailProblem(email);
    if (problem) throw new ValidationFailed([{ field: 'email', message: problem }]);
    if (!(await this.throttle.allowEmailedLink('tracking_links', email, clientAddress))) return;
    const requests = await this.requests.linkedToBuyerEmail(email, MAX_LINKS);
    if (!requests.length) return this.sendNoRequestMail(email, clientAddress);
    const links = requests.flatMap((request) => {
      const url = this.readableLink(request);
      const closed = request.status === 'closed';
      return url
        ? [
            {
              reference: request.reference,
              subject: request.subject,
              // The template lists them in two groups, « en cours » and « clôturées »; a closed one says how it ended.
              closed,
              statusLabel: closed && request.closeReason ? BUYER_CLOSE_REASON_LABELS[request.closeReason] : STATUS_LABELS[request.status],
              createdAt: request.createdAt,
              departmentCode: request.departmentCode,
              url,
            },
          ]
        : [];
    });
    // Requests there are, none readable: the operator is told (readableLink); « none known » would be untrue.
    if (!links.length) return;
    await this.send({
      requestId: null,
      template: 'tracking-links',
      recipient: requests[0].buyerEmail,
      subject:
        links.length === 1 ? 'Le lien de suivi de votre demande — Guichet vert' : 'Les liens de suivi de vos demandes — Guichet vert',
      context: { links, more: requests.length === MAX_LINKS },
    });
  }

  /**
   * An address with no request gets its answer too, so that a buyer who used another one (a colleague's, a former
   * one) learns where to look; only that mailbox reads it, so it tells no one else whether the address is known.
   */
  private noRequestMail(email: string): MailToQueue {
    return {
      requestId: null,
      template: 'tracking-links-none',
      recipient: email,
      subject: 'Aucune demande à cette adresse — Guichet vert',
      context: { email, searchUrl: `${this.config.PUBLIC_URL}/suivi`, newRequestUrl: `${this.config.PUBLIC_URL}/demande` },
    };
  }

  private async sendNoRequestMail(email: string, clientAddress: string): Promise<void> {
    if (await this.throttle.allowOverall('tracking_links_none', NO_REQUEST_MAILS_LIMIT, email, clientAddress))
      return this.send(this.noRequestMail(email));
    this.logger.warn('« Aucune demande à cette adresse » non envoyé : plafond horaire atteint (demandes de liens en nombre inhabituel)');
  }

  private async send(mail: MailToQueue): Promise<void> {
    await this.dataSource.transaction((manager) => runAsOne(manager, this.mail.prepare(mail)));
  }

  /**
   * A link sealed under a secret this process does not know (`secret:reseal` run before the service was restarted with
   * the new APP_SECRET) is left out and said to the operator: an error here would answer this address unlike any other.
   */
  private readableLink(request: LinkedRequest): string | null {
    try {
      return trackingLinkOf(this.config, request);
    } catch {
      this.logger.error(
        { requestId: request.id },
        'lien de suivi illisible avec APP_SECRET et APP_SECRET_PREVIOUS : redémarrez le service avec le secret qui a servi à secret:reseal',
      );
      return null;
    }
  }
}
