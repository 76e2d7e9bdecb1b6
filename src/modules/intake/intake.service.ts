import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AppError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { hmac, randomToken, seal, sha256, unseal } from '../../common/tokens';
import { requestInSubject } from '../../common/french-format';
import { GroupCommit } from '../../database/group-commit';
import { runAsOne } from '../../database/sql-statement';
import { OutboxRepository } from '../../queue/outbox.repository';
import { MailService } from '../mail/mail.service';
import { ReferenceService } from '../reference/reference.service';
import { AdviceRequest } from '../requests/request.entities';
import { parisYear } from '../requests/reference-number';
import { RequestsRepository } from '../requests/requests.repository';
import { RequestErased, TrackingService } from '../requests/tracking.service';
import { sealTrackingToken, trackingUrl } from '../requests/tracking-url';
import { CreateRequestDto, FollowsUpDto } from './dto/create-request.dto';
import { IdempotencyRepository } from './idempotency.repository';
import { answerDayAfterNeed, usualPace } from './needed-by.policy';

interface SubmissionReceipt {
  reference: string;
  status: string;
  trackingUrl: string;
}

/**
 * A new request carries its instant; a repeated submission (`replayed`) answers with the first one's receipt alone, as
 * the API and the demo data need no more: the form's confirmation asks submittedAt for the first sending's instant.
 */
export type SubmissionResult = SubmissionReceipt & ({ replayed: false; submittedAt: Date } | { replayed: true });

/** Where the repeat-protection key comes from: the API header, the form's one-time token, or the demo data's fixed keys. */
export interface IdempotencyInput {
  scope: 'api' | 'form' | 'demo';
  key: string;
}

class ConcurrentSubmission extends Error {}

const KIND_PHRASES = {
  environmental: 'du réseau régional de l’achat public durable',
  social_clause: 'de clauses sociales de votre territoire',
};

@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groupCommit: GroupCommit,
    private readonly requests: RequestsRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly outbox: OutboxRepository,
    private readonly mail: MailService,
    private readonly reference: ReferenceService,
    private readonly tracking: TrackingService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The request a buyer's private link opens, to start their next one from it; null for a wrong link, silently. */
  previousRequest(reference: unknown, token: unknown): Promise<AdviceRequest | null> {
    return this.tracking.authorise(reference, token).catch((error: unknown) => {
      if (error instanceof NotFound) return null;
      throw error;
    });
  }

  /**
   * The earlier request a new one may follow up, proven by its tracking token as its page is; null for a wrong link or
   * an erased request (nothing left to link to), silently: the caller decides what a wrong link means.
   */
  followedRequest(reference: unknown, token: unknown): Promise<AdviceRequest | null> {
    return this.tracking.authorise(reference, token).catch((error: unknown) => {
      if (error instanceof NotFound || error instanceof RequestErased) return null;
      throw error;
    });
  }

  /** The id of the earlier request `followsUp` names; a field error when its link proves none (unknown, wrong token: the same). */
  private async followedRequestId(followsUp: FollowsUpDto): Promise<string> {
    const followed = await this.followedRequest(followsUp.reference, followsUp.trackingToken);
    if (!followed) {
      throw new ValidationFailed([
        {
          field: 'followsUp',
          message: 'Demande précédente introuvable : vérifiez sa référence et le jeton de son lien de suivi.',
        },
      ]);
    }
    return followed.id;
  }

  /**
   * Stores a validated request with its history event, acknowledgement e-mail and routing job,
   * all or nothing, in one statement (shared with submissions arriving at the same moment).
   * A repeated submission with the same key returns the first result.
   */
  async submit(dto: CreateRequestDto, idempotency?: IdempotencyInput, beforeRecording?: () => Promise<void>): Promise<SubmissionResult> {
    const key = idempotency && this.idempotencyKey(idempotency, dto);
    if (key) {
      const replay = await this.replay(key.hashes, key.fingerprint, key.passphrase);
      if (replay) return replay;
    }
    // Before the caller's check: a wrong link is the buyer's mistake, which must not use up the hour's allowance.
    const followsUpRequestId = dto.followsUp ? await this.followedRequestId(dto.followsUp) : null;
    // Only a new request goes past here: a caller's check that must not count a replay (the form's hourly limit).
    if (beforeRecording) await beforeRecording();

    // One instant for the reference's year and the request's date: at midnight on 31 December, a GV-2026 request
    // committed a moment later must still be counted in 2026 by the indicators.
    const now = new Date();
    const reference = await this.requests.nextReference(parisYear(now));
    const token = randomToken();
    const result: SubmissionResult = {
      reference,
      status: 'submitted',
      trackingUrl: trackingUrl(this.config.PUBLIC_URL, reference, token),
      replayed: false,
      submittedAt: now,
    };
    const request = this.buildRequest(dto, reference, token, now, followsUpRequestId);

    const statements = [
      ...this.requests.insertStatements(request, {
        requestId: request.id,
        type: 'submitted',
        fromStatus: null,
        toStatus: 'submitted',
        actorType: 'buyer',
        actorId: null,
        reason: null,
        isPublic: true,
      }),
      ...this.mail.prepare({
        requestId: request.id,
        template: 'request-acknowledgement',
        recipient: request.buyerEmail,
        subject: `Votre demande ${requestInSubject(reference, request.subject)} est bien reçue — Guichet vert`,
        context: {
          firstName: request.buyerFirstName,
          reference,
          subject: request.subject,
          question: request.question,
          kindPhrase: KIND_PHRASES[request.kind],
          trackingUrl: result.trackingUrl,
          takeChargeDays: this.config.TAKE_CHARGE_WORKING_DAYS,
          answerDays: this.config.ANSWER_WORKING_DAYS,
          ...this.paceNotice(dto.neededBy, request.departmentCode, now),
        },
      }),
      this.outbox.addStatement('request.submitted', { requestId: request.id }, `request-submitted-${request.id}`),
    ];
    if (!key) {
      await this.groupCommit.run(statements);
      return result;
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await this.idempotency.reserve(manager, key.hash, key.fingerprint))) throw new ConcurrentSubmission();
        const { reference, status, trackingUrl } = result;
        const sealed = seal(this.config.APP_SECRET, key.passphrase, JSON.stringify({ reference, status, trackingUrl, replayed: true }));
        await runAsOne(manager, [...statements, this.idempotency.completeStatement(key.hash, request.id, sealed)]);
      });
    } catch (error) {
      if (!(error instanceof ConcurrentSubmission)) throw error;
      const replay = await this.replay(key.hashes, key.fingerprint, key.passphrase);
      if (!replay) throw error;
      return replay;
    }
    return result;
  }

  /**
   * A request this buyer already sent with the very same purchase and question within the last day: the form sent
   * again from a page fetched anew (Back, a reopened tab) carries a new token, and would otherwise make a second one.
   */
  recentTwin(dto: CreateRequestDto): Promise<string | null> {
    const { buyer, departmentCode, kind, segment, subject, question } = dto;
    return this.requests.twinOfLastDay({ buyerEmail: buyer.email, departmentCode, kind, segment, subject, question });
  }

  /** The first result of a submission already made with this key and content, or null (a key reused for other content is refused). */
  async firstResult(dto: CreateRequestDto, idempotency: IdempotencyInput): Promise<SubmissionResult | null> {
    const key = this.idempotencyKey(idempotency, dto);
    return this.replay(key.hashes, key.fingerprint, key.passphrase);
  }

  /** One hash per secret still accepted (the current one first): a retry sent across a rotation of APP_SECRET finds its first result. */
  private idempotencyKey(idempotency: IdempotencyInput, dto: CreateRequestDto) {
    const hashes = this.config.openingSecrets.map((secret) => hmac(secret, `${idempotency.scope}:${idempotency.key}`));
    return { hash: hashes[0], hashes, fingerprint: sha256(JSON.stringify(dto)), passphrase: idempotency.key };
  }

  /** `keyHashes`: the key under each secret still accepted, the current one first. */
  private async replay(keyHashes: Buffer[], fingerprint: Buffer, passphrase: string): Promise<SubmissionResult | null> {
    const existing = await this.idempotency.find(keyHashes);
    if (!existing) return null;
    if (!existing.fingerprint.equals(fingerprint)) {
      throw new AppError(
        'idempotency_key_reused',
        'Cette clé d’idempotence a déjà servi pour une autre demande : utilisez une nouvelle clé pour une nouvelle demande.',
        [{ field: 'Idempotency-Key', message: 'Clé déjà utilisée avec un contenu différent.' }],
      );
    }
    if (!existing.sealedResponse) return null;
    return JSON.parse(
      unseal(this.config.openingSecrets[keyHashes.findIndex((hash) => hash.equals(existing.keyHash))], passphrase, existing.sealedResponse),
    ) as SubmissionReceipt & { replayed: true };
  }

  /**
   * The instant the usual delays are dated from: a replay's is the first sending's, as its acknowledgement said (a form
   * sent again a day later), or now when that request is gone.
   */
  async submittedAt(result: SubmissionResult): Promise<Date> {
    if (!result.replayed) return result.submittedAt;
    return (await this.requests.createdAtOf(result.reference)) ?? new Date();
  }

  /**
   * The last days of taking in charge and answering at the usual pace (the acknowledgement dates its delays: over
   * holidays « 2 jours ouvrés » reads shorter than it is), and the day the buyer needs the answer by when that pace misses it.
   */
  private paceNotice(neededBy: string | undefined, departmentCode: string, now: Date) {
    const pace = usualPace(now, departmentCode, this.config.TAKE_CHARGE_WORKING_DAYS, this.config.ANSWER_WORKING_DAYS);
    const usualAnswerDay = answerDayAfterNeed(neededBy, pace);
    return { ...pace, ...(usualAnswerDay ? { neededBy, usualAnswerDay } : {}) };
  }

  private buildRequest(
    dto: CreateRequestDto,
    reference: string,
    token: string,
    now: Date,
    followsUpRequestId: string | null,
  ): AdviceRequest {
    const department = this.reference.department(dto.departmentCode)!;
    const id = randomUUID();
    return Object.assign(new AdviceRequest(), {
      id,
      reference,
      status: 'submitted',
      kind: dto.kind,
      buyerFirstName: dto.buyer.firstName,
      buyerLastName: dto.buyer.lastName,
      buyerEmail: dto.buyer.email,
      buyerPhone: dto.buyer.phone ?? null,
      organisationName: dto.buyer.organisationName,
      organisationType: dto.buyer.organisationType,
      siret: dto.buyer.siret || null,
      internalReferentConsulted: dto.internalReferentConsulted ?? null,
      departmentCode: department.code,
      networkCode: department.networkCode,
      segmentCode: dto.segment,
      subject: dto.subject,
      question: dto.question,
      purchaseStage: dto.purchaseStage,
      estimatedAmount: dto.estimatedAmount == null ? null : String(dto.estimatedAmount),
      neededBy: dto.neededBy ?? null,
      followsUpRequestId,
      consentedAt: now,
      createdAt: now,
      trackingTokenHash: sha256(token),
      trackingTokenSealed: sealTrackingToken(this.config.APP_SECRET, id, token),
    } satisfies Partial<AdviceRequest>);
  }
}
