import { afterNetworkWord, ofOrganisation, requestInSubject } from '../../common/french-format';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { localDay } from '../../common/local-clock';
import { ActionRefused, AppError, FieldError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { LOGGER } from '../../common/logging/logging.module';
import { randomToken, sealFor, sha256, unsealForAny, uuidFromDigest } from '../../common/tokens';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { eachApart } from '../../queue/interval-sweep';
import { OutboxRepository, timerDelayMs } from '../../queue/outbox.repository';
import { MailService, MailWithholding } from '../mail/mail.service';
import type { CloseReason } from '../requests/request.types';
import { NewRequestEvent, RequestsRepository } from '../requests/requests.repository';
import { AnswerContext, checkAnswers, earliestContractDay, impactQuestionsOf, SurveyAnswers } from './survey-answers.policy';
import { ONE_CLICK_USEFULNESS_LABELS, SURVEY_WAVE_LABELS } from './survey-labels';
import { surveyOptOutHashes } from './survey-opt-out.policy';
import {
  isClosed,
  isOpen,
  isWithdrawn,
  newAddressStep,
  nextStep,
  sendingDueAt,
  sentSchedule,
  stepAlongside,
  SurveyDelays,
  SurveyState,
  SurveyStep,
  surveyedWaves,
} from './survey.policy';
import { SURVEY_WAVES, USEFULNESS, SurveyWave } from './survey.types';
import { SurveyOptOutRecord, SurveyStepChange, SurveyWithRequest, SurveysRepository } from './surveys.repository';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/**
 * Surveys one e-mail lists at most: its refusal link carries each one's token, and as `List-Unsubscribe` it must fit
 * a header line (998 characters, an unbroken URL cannot be folded). More due together go in the next e-mail.
 */
const MAX_SURVEYS_PER_MAIL = 10;
/** A refusal link's key: a survey's token, or a grouped e-mail's, every listed survey's token joined by dots. */
const REFUSAL_KEY_SHAPE = new RegExp(`^[A-Za-z0-9_-]{43}(?:\\.[A-Za-z0-9_-]{43}){0,${MAX_SURVEYS_PER_MAIL - 1}}$`);

/** A sent survey whose request was reopened: a new link follows a new closure as answered, if one comes. */
export class SurveyWithdrawn extends AppError {
  constructor() {
    super(
      'conflict',
      'Votre demande a été rouverte : ce questionnaire est suspendu. Si elle est de nouveau clôturée après une réponse, un nouveau lien vous sera envoyé quelques jours plus tard.',
    );
  }
}

/** A survey's link after its closing date: the buyer's link is right, the survey is over. */
export class SurveyClosed extends AppError {
  constructor(answered: boolean) {
    super(
      'gone',
      answered
        ? 'Ce questionnaire est clos : vos réponses sont enregistrées, elles ne peuvent plus être modifiées. Merci de les avoir données.'
        : 'Ce questionnaire est clos : il ne reçoit plus de réponses. Merci de l’attention portée au guichet vert.',
    );
  }
}

/**
 * The two follow-up waves of a request closed as answered: scheduled in the closing transaction, then sent,
 * reminded once and expired by timers and a sweep, each step one transaction under the survey's lock with its
 * (private) history event and its e-mail. The buyer answers through the private link of the e-mail.
 */
@Injectable()
export class SurveysService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly surveys: SurveysRepository,
    private readonly requests: RequestsRepository,
    private readonly mail: MailService,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.mail.withholdWhen('survey', (mail) => this.surveyMailWithheld(mail));
    this.mail.withholdWhen('survey-group', (mail) => this.groupMailWithheld(mail));
  }

  /**
   * To run in the transaction that closes the request: both waves scheduled from now (nothing for a closure that
   * is not surveyed), in the office hours of the request's département, for the facilitator who held the request,
   * each with its timer. None for an address that opted out of every survey (their timers then find nothing).
   */
  scheduleStatements(
    request: { id: string; departmentCode: string; buyerEmail: string },
    closeReason: CloseReason | null,
    facilitatorId: string | null,
  ): SqlStatement[] {
    const waves = surveyedWaves(closeReason);
    if (!waves.length) return [];
    const now = this.clock.now();
    const surveys = waves.map((wave) => ({
      id: surveyIdOf(request.id, wave),
      requestId: request.id,
      wave,
      facilitatorId,
      dueAt: sendingDueAt(wave, now, this.delays, request.departmentCode),
    }));
    return [
      this.surveys.scheduleStatement(surveys, this.optOutHashes(request.buyerEmail)),
      ...surveys.map((s) => this.timerStatement(s.id, s.dueAt)),
    ];
  }

  /**
   * To run in the transaction that reopens a closed request: its surveys not answered yet wait for the next
   * closure. One already sent is withdrawn (its link says so, its reminder does not go) and sent again, with a
   * new link, after that closure; one already answered stays as it is.
   */
  cancelStatements(requestId: string): SqlStatement[] {
    return [this.surveys.cancelUnansweredStatement(requestId)];
  }

  /**
   * To run in the transaction that corrects the buyer's address, under the request's lock, once the new address is
   * written: every survey link of the request is renewed, so whoever holds the former (maybe mistyped) mailbox can no
   * more answer than refuse for the new one, and the survey e-mails not sent yet, which carry the old links, are dropped.
   * What the old mailbox's holder typed into a refused form is forgotten. What was refused from a link of the old address
   * is put back only when staff say it was never the buyer's (`previousAddressWasWrong`, a typo): a buyer who changed
   * mailbox keeps the objection they made from it, recorded then as staff's (`staff`) so that no later correction undoes it
   * (newAddressStep). A survey asked and not answered goes to the new address as a fresh sending would (new dates, its
   * reminder's timer, a private history line), unless that address opted out: it is then declined at once. One not sent yet leaves later for the new address with a link of its own.
   */
  async newAddressStatements(manager: EntityManager, requestId: string, previousAddressWasWrong: boolean): Promise<SqlStatement[]> {
    const now = this.clock.now();
    // Run as one, the drop does not see the e-mails queued beside it.
    const statements = [this.mail.dropUnsentStatement([requestId], 'survey')];
    for (const id of await this.surveys.renewableIds(manager, requestId)) {
      const locked = (await this.surveys.lockWithRequest(manager, id))!;
      const { survey, request } = locked;
      const step = newAddressStep(
        {
          ...survey,
          buyerMayBeAsked: buyerMayBeAsked(request),
          optedOut: await this.surveys.optedOut(manager, this.optOutHashes(request.buyerEmail)),
        },
        { previousAddressWasWrong, closedAt: request.closedAt },
        now,
      );
      if (step === 'send') {
        statements.push(
          ...this.sendingStatements(locked, now, { partialAnswers: null, declinedVia: null }),
          // Never the address: the correction's own line says who changed it.
          this.requests.eventStatement(surveyEvent(request.id, 'survey_resent', survey.wave)),
        );
        continue;
      }
      // A survey refused before it was ever sent has no link to renew.
      const link = survey.tokenHash ? this.linkOf(id, randomToken()) : {};
      // Due as the request's latest closure made it (past, the next sweep sends it): one closed again since it was refused
      // kept its former date. Closed, as `schedule` requires.
      const dueAt = sendingDueAt(survey.wave, request.closedAt ?? now, this.delays, request.departmentCode);
      const state: Pick<SurveyStepChange, 'status' | 'declinedVia' | 'dueAt'> = {
        relink: { status: survey.status },
        // Declined quietly, as its next step would: the opt-out's own history line says why.
        decline: { status: 'declined' as const, declinedVia: 'opt_out' as const },
        // Staff said the old address was the buyer's: their objection now, as if staff had recorded it.
        confirm: { status: 'declined' as const, declinedVia: 'staff' as const },
        schedule: { status: 'scheduled' as const, declinedVia: null, dueAt },
        cancel: { status: 'cancelled' as const, declinedVia: null },
      }[step];
      statements.push(this.surveys.stepStatement(id, { ...state, partialAnswers: null, ...link }));
      if (step === 'schedule') statements.push(this.timerStatement(id, dueAt));
    }
    return statements;
  }

  /**
   * Idempotent: the survey is locked and its step decided afresh, so a job delivered twice and the sweep act once. A
   * sending or reminder takes along the surveys of the same wave and address (any case) due that same day: one e-mail
   * lists them all, in the same transaction as their steps, so a retry finds them done and a crash loses none.
   */
  async step(surveyId: string): Promise<SurveyStep> {
    return this.dataSource.transaction(async (manager) => {
      // Every request of the address locked first, in id order, as an opt-out takes them: two timers of one address do not deadlock.
      const email = await this.surveys.buyerEmailOfSurvey(manager, surveyId);
      const addressIds = email ? (await this.surveys.lockRequestsOf(manager, email)).map((request) => request.id) : [];
      const locked = await this.surveys.lockWithRequest(manager, surveyId);
      if (!locked) return 'nothing';
      const now = this.clock.now();
      // Read under the request's lock, which an opt-out takes too: a survey queued before it does not leave after it.
      const optedOut = await this.surveys.optedOut(manager, this.optOutHashes(locked.request.buyerEmail));
      const step = nextStep(stateOf(locked, optedOut), now);
      // Its address changed between the read and the lock: it goes alone.
      const sameAddress = email !== null && email.toLowerCase() === locked.request.buyerEmail.toLowerCase();
      const along =
        (step === 'send' || step === 'remind') && sameAddress ? await this.along(manager, locked, step, addressIds, optedOut, now) : [];
      await runAsOne(
        manager,
        along.length ? this.groupStatements(step as 'send' | 'remind', [locked, ...along], now) : this.stepStatements(step, locked, now),
      );
      return step;
    });
  }

  /**
   * The other surveys of the address (its requests locked) that take the same step today, each locked; as many as one
   * e-mail lists with this one. Those left out go as the next of them falls due (the same sweep, or its own timer).
   */
  private async along(
    manager: EntityManager,
    { survey }: SurveyWithRequest,
    step: 'send' | 'remind',
    requestIds: string[],
    optedOut: boolean,
    now: Date,
  ): Promise<SurveyWithRequest[]> {
    const status = step === 'send' ? 'scheduled' : 'sent';
    // A day and a half covers today's end in every département, overseas included; stepAlongside keeps today's only.
    const before = new Date(now.getTime() + 36 * 3_600_000);
    const found: SurveyWithRequest[] = [];
    for (const id of await this.surveys.companionIds(manager, requestIds, survey.wave, status, before, survey.id)) {
      const other = await this.surveys.lockWithRequest(manager, id);
      if (other && stepAlongside(stateOf(other, optedOut), other.request.departmentCode, now) === step) found.push(other);
      if (found.length === MAX_SURVEYS_PER_MAIL - 1) break;
    }
    return found;
  }

  /** Every survey whose step is due, whatever became of its timer. */
  async runDue(limit: number): Promise<number> {
    // One survey that fails is logged and skipped: it must not hold back the reminders and waves due after it.
    return eachApart(
      await this.surveys.dueIds(this.clock.now(), limit),
      async (id) => (await this.step(id)) !== 'nothing',
      this.logger,
      'étape de questionnaire en échec, reprise au prochain passage',
      'surveyId',
    );
  }

  /**
   * The survey a link opens: a malformed, unknown or expired token is the same 404; a link withdrawn by a
   * reopening (the survey cancelled, or scheduled again for the next closure) says so to its holder. A survey its
   * buyer declined still opens until expiry: they may answer after all.
   */
  async open(token: unknown): Promise<SurveyWithRequest> {
    const [found] = typeof token === 'string' && TOKEN_SHAPE.test(token) ? await this.surveys.findByTokenHashes([sha256(token)]) : [];
    if (found && isWithdrawn(found.survey)) throw new SurveyWithdrawn();
    if (found && isClosed(found.survey, this.clock.now())) throw new SurveyClosed(found.survey.completedAt !== null);
    if (!found || !isOpen(found.survey, this.clock.now())) throw new NotFound();
    return found;
  }

  /**
   * Records the buyer's answers; the first answer completes the survey, with its history event. Refused for field errors:
   * a survey not answered yet keeps the valid part (partialAnswers) for the buyer to complete later with the same link;
   * an answered one keeps its answers as they were.
   */
  async answer(token: unknown, body: Record<string, unknown>): Promise<void> {
    const { survey, request } = await this.open(token);
    const checked = checkAnswers(survey.wave, body, this.answerContext(request));
    if (!checked.ok && survey.completedAt) throw new ValidationFailed(checked.errors);
    await this.dataSource.transaction(async (manager) => {
      // Checked again under the lock: the survey may have expired, or its link been renewed, since the link was opened.
      const locked = await this.surveys.lockWithRequest(manager, survey.id);
      const now = this.clock.now();
      if (!locked || !opensSurvey(token, locked.survey)) throw new NotFound();
      if (isWithdrawn(locked.survey)) throw new SurveyWithdrawn();
      if (!isOpen(locked.survey, now)) throw new NotFound();
      if (!checked.ok) {
        if (!locked.survey.completedAt) await runAsOne(manager, [this.surveys.partialAnswersStatement(survey.id, checked.kept)]);
        return;
      }
      await runAsOne(manager, [
        this.surveys.answersStatement(survey.id, checked.answers, now),
        ...(locked.survey.completedAt
          ? []
          : [this.requests.eventStatement(surveyEvent(survey.requestId, 'survey_completed', survey.wave, 'buyer'))]),
      ]);
    });
    if (!checked.ok) throw new ValidationFailed(checked.errors);
  }

  /**
   * The answers a refused form kept on a survey not answered yet, with what they still lack, checked afresh (the day
   * moved since); null when there are none.
   */
  partialAnswersOf({ survey, request }: SurveyWithRequest): { answers: SurveyAnswers; missing: FieldError[] } | null {
    if (survey.completedAt || !survey.partialAnswers) return null;
    const checked = checkAnswers(survey.wave, { ...survey.partialAnswers }, this.answerContext(request));
    return { answers: survey.partialAnswers, missing: checked.ok ? [] : checked.errors };
  }

  /** « Not after today » on the buyer's calendar: on La Réunion at 01:30 it is already tomorrow in Paris's terms. */
  private answerContext(request: SurveyWithRequest['request']): AnswerContext {
    return {
      today: localDay(request.departmentCode, this.clock.now()),
      notBefore: earliestContractDay(request.purchaseStage, localDay(request.departmentCode, request.receivedAt), request.splitOff),
      questions: impactQuestionsOf(request),
    };
  }

  /**
   * The survey a refusal link names, whatever became of it: suspended by a reopening or past its date, its e-mail's
   * « no more questionnaires » still works (the privacy notice promises it for each one). A grouped e-mail's link names
   * each of its surveys: the first one still found (not erased, its link not renewed) stands for it, its `token` with it.
   * None: 404. With whether anything is left to refuse, and whether this one may be answered now (not while suspended or once over).
   */
  async declinable(
    key: unknown,
  ): Promise<SurveyWithRequest & { token: string; anyLeft: boolean; answerable: boolean; addressOptedOut: boolean }> {
    const tokens = refusalKeyTokens(key);
    const found = (await this.surveys.findByTokenHashes(tokens.map(sha256))).find(({ request }) => !request.anonymisedAt);
    if (!found) throw new NotFound();
    return {
      ...found,
      token: tokens.find((token) => found.survey.tokenHash!.equals(sha256(token)))!,
      anyLeft: await this.surveys.anyDeclinable(found.request.id),
      addressOptedOut: await this.addressOptedOut(found.request.buyerEmail),
      answerable: isOpen(found.survey, this.clock.now()) && !isWithdrawn(found.survey),
    };
  }

  /**
   * The buyer's « no more questionnaires for this request », from the link of any of its e-mails (or a mail client's
   * one-click unsubscribe): every wave not answered yet ends for good, the impact survey months away included, with
   * one history line. Answers already given stay. Idempotent: a second refusal changes nothing.
   */
  async decline(key: unknown): Promise<void> {
    const { survey, token } = await this.declinable(key);
    await this.dataSource.transaction(async (manager) => {
      // Under the lock a correction of the address takes to renew the links: standing, it was sent to this address.
      const locked = await this.surveys.lockWithRequest(manager, survey.id);
      if (!locked || !opensSurvey(token, locked.survey)) throw new NotFound();
      if ((await this.surveys.declineUnanswered(manager, survey.requestId)) > 0) {
        await runAsOne(manager, [this.requests.eventStatement(surveyEvent(survey.requestId, 'survey_declined', survey.wave, 'buyer'))]);
      }
    });
  }

  /**
   * A grouped e-mail's one-click unsubscribe: the surveys not answered yet of the requests it lists end, as a refusal from
   * their link (a later correction may put them back), with a history line on each. Not the address's other requests,
   * which the e-mail did not name, and no opt-out: a click the buyer could not read first does not reach requests to
   * come, nor outlive an erasure.
   */
  async declineListedRequests(key: unknown): Promise<void> {
    const { survey } = await this.declinable(key);
    await this.dataSource.transaction(async (manager) => {
      const { ids } = await this.lockAddressOf(manager, survey.requestId);
      // Under the lock a correction takes to renew the links with the address: standing, they were sent to this one.
      const listed = await this.surveys.requestsOfLinks(manager, ids, refusalKeyTokens(key).map(sha256));
      if (!listed.length) throw new NotFound();
      const ended = new Set(await this.surveys.declineUnansweredOf(manager, listed, 'link'));
      if (!ended.size) return;
      await runAsOne(manager, [
        this.requests.eventsStatement([...ended].map((id) => surveyEvent(id, 'survey_declined', survey.wave, 'buyer'))),
      ]);
    });
  }

  /**
   * The buyer's « no more questionnaires from the desk at this address », from a survey e-mail's page: every survey
   * of every request of that address not answered yet ends for good, and none is scheduled again (unless staff lift it: optIn).
   */
  async declineAddress(key: unknown): Promise<void> {
    const { request, token } = await this.declinable(key);
    await this.optOut(request.id, { actorType: 'buyer', actorId: null }, sha256(token));
  }

  /**
   * The address of the request wants no survey at all (the buyer's word, on a survey's page or to staff): recorded under
   * its keyed hash, and every survey of that address's requests (any case) not answered yet ends for good, with its
   * unsent e-mail; a private history line on this request, and on each other whose surveys it ended. False when
   * nothing changed (already recorded, nothing left to end). Refused once the request's data are erased. From a survey's
   * link (`linkHash`), only for the address that link was sent to: 404 once a correction of the address renewed it.
   */
  async optOut(requestId: string, by: { actorType: 'buyer' | 'staff'; actorId: string | null }, linkHash?: Buffer): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const { hashes, ids, email } = await this.lockAddressOf(manager, requestId);
      // Under the lock a correction takes to renew the links with the address: standing, it was sent to this one.
      if (linkHash && !(await this.surveys.linkStands(manager, requestId, linkHash))) throw new NotFound();
      const recorded = await this.surveys.recordOptOut(manager, hashes[0], by.actorType);
      // The buyer's own from a survey's link: whoever held that mailbox. A correction of this address puts them back when
      // staff say it was a typo; one saying it was the buyer's makes them `staff`, which no later correction undoes.
      const ended = new Set(await this.surveys.declineUnansweredOf(manager, ids, by.actorType === 'buyer' ? 'link' : 'staff'));
      if (!recorded && !ended.size) return false;
      const event = (id: string): NewRequestEvent => ({
        requestId: id,
        type: 'survey_opt_out',
        fromStatus: null,
        toStatus: null,
        ...by,
        reason: null,
        isPublic: false,
      });
      await runAsOne(manager, [
        this.requests.eventsStatement([requestId, ...[...ended].filter((id) => id !== requestId)].map(event)),
        this.mail.dropUnsentStatement(ids, 'survey'),
        // A grouped one names no request of its own: found by its address.
        this.mail.dropUnsentToStatement(email, 'survey-group'),
      ]);
      return true;
    });
  }

  /**
   * The buyer changed their mind, told to staff: the address's opt-out is lifted, under the locks an opt-out takes, with
   * a private history line on this request. Every request of the address closed from now on is surveyed again; the
   * surveys the opt-out ended stay ended (never sent again out of the blue). False when there was no opt-out to lift.
   */
  async optIn(requestId: string, staffId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const { hashes } = await this.lockAddressOf(manager, requestId);
      if (!(await this.surveys.removeOptOut(manager, hashes))) return false;
      await runAsOne(manager, [
        this.requests.eventStatement({
          requestId,
          type: 'survey_opt_in',
          fromStatus: null,
          toStatus: null,
          actorType: 'staff',
          actorId: staffId,
          reason: null,
          isPublic: false,
        }),
      ]);
      return true;
    });
  }

  /** Whether the address opted out of every survey (an erased request's empty one never did). */
  async addressOptedOut(email: string): Promise<boolean> {
    return this.surveys.optedOut(this.dataSource.manager, this.optOutHashes(email));
  }

  /** The address's opt-out as staff read it (who recorded it, when), null for none. */
  addressOptOut(email: string): Promise<SurveyOptOutRecord | null> {
    return this.surveys.optOutOf(this.dataSource.manager, this.optOutHashes(email));
  }

  /** Every survey of the request still open (the satisfaction one stays editable once the impact one is sent), latest first. */
  async openSurveyLinks(reference: string): Promise<Array<{ url: string; label: string; completed: boolean }>> {
    const surveys = await this.surveys.openFor(reference, this.clock.now());
    return surveys.flatMap((survey) =>
      survey.tokenSealed
        ? [
            {
              url: this.surveyUrl(unsealForAny(this.config.openingSecrets, 'survey', survey.id, survey.tokenSealed)),
              label: SURVEY_WAVE_LABELS[survey.wave],
              completed: survey.completedAt !== null,
            },
          ]
        : [],
    );
  }

  private stepStatements(step: SurveyStep, locked: SurveyWithRequest, now: Date): SqlStatement[] {
    const { survey, request } = locked;
    switch (step) {
      case 'send':
      case 'remind': {
        const { statements, token, expiresAt } = this.advance(step, locked, now);
        return [...statements, ...this.surveyMail(locked, token, expiresAt, step === 'remind')];
      }
      case 'expire':
        return [
          this.surveys.stepStatement(survey.id, { status: 'expired', partialAnswers: null }),
          this.requests.eventStatement(surveyEvent(request.id, 'survey_expired', survey.wave)),
        ];
      // As a reopening's cancellation: sent again after the next closure with a new link, nothing typed at this one shown.
      case 'cancel':
        return [this.surveys.stepStatement(survey.id, { status: 'cancelled', partialAnswers: null })];
      // Quietly: the opt-out's own history line says why (this one was queued meanwhile, or its address corrected into it).
      case 'decline':
        return [this.surveys.stepStatement(survey.id, { status: 'declined', declinedVia: 'opt_out' })];
      case 'nothing':
        return [];
    }
  }

  /** A sending or reminder without its e-mail: the survey's dates, its history line, its next timer; the link the e-mail carries. */
  private advance(
    step: 'send' | 'remind',
    locked: SurveyWithRequest,
    now: Date,
  ): { statements: SqlStatement[]; token: string; expiresAt: Date } {
    const { survey, request } = locked;
    if (step === 'send') {
      const sent = this.sentLink(locked, now, { sentAt: now });
      return {
        ...sent,
        statements: [...sent.statements, this.requests.eventStatement(surveyEvent(request.id, 'survey_sent', survey.wave))],
      };
    }
    return {
      token: unsealForAny(this.config.openingSecrets, 'survey', survey.id, survey.tokenSealed!),
      expiresAt: survey.expiresAt!,
      statements: [
        this.surveys.stepStatement(survey.id, { status: 'reminded', remindedAt: now, dueAt: survey.expiresAt! }),
        this.requests.eventStatement(surveyEvent(request.id, 'survey_reminded', survey.wave)),
        this.timerStatement(survey.id, survey.expiresAt!),
      ],
    };
  }

  /** The survey sent now with a new link, its dates from now and its reminder's timer armed. */
  private sendingStatements(
    locked: SurveyWithRequest,
    now: Date,
    change: Pick<SurveyStepChange, 'sentAt' | 'partialAnswers' | 'declinedVia'>,
  ): SqlStatement[] {
    const { statements, token, expiresAt } = this.sentLink(locked, now, change);
    return [...statements, ...this.surveyMail(locked, token, expiresAt, false)];
  }

  /** A new link and the dates of a sending from now, with its reminder's timer; its e-mail is the caller's. */
  private sentLink(
    locked: SurveyWithRequest,
    now: Date,
    change: Pick<SurveyStepChange, 'sentAt' | 'partialAnswers' | 'declinedVia'>,
  ): { statements: SqlStatement[]; token: string; expiresAt: Date } {
    const id = locked.survey.id;
    const token = randomToken();
    const { expiresAt, reminderAt } = sentSchedule(now, this.delays, locked.request.departmentCode);
    return {
      token,
      expiresAt,
      statements: [
        this.surveys.stepStatement(id, { status: 'sent', expiresAt, dueAt: reminderAt, ...this.linkOf(id, token), ...change }),
        this.timerStatement(id, reminderAt),
      ],
    };
  }

  /**
   * Surveys of one wave and address taking the same step at once: each its own step, one e-mail listing them. Its
   * refusal link (and List-Unsubscribe) is its requests' all together: a one-click refusal cannot say which of them it meant.
   */
  private groupStatements(step: 'send' | 'remind', members: SurveyWithRequest[], now: Date): SqlStatement[] {
    const statements: SqlStatement[] = [];
    // In the order of their references: the buyer reads their requests as they filed them.
    const ordered = [...members].sort((a, b) => a.request.reference.localeCompare(b.request.reference));
    const entries: SurveyEntry[] = ordered.map((member) => {
      const advanced = this.advance(step, member, now);
      statements.push(...advanced.statements);
      return this.entryOf(member, advanced.token, advanced.expiresAt);
    });
    const [{ request, survey }] = members;
    // A mailbox several buyers share (a service's): greeted by name only when every listed request gives the same one.
    const names = new Set(members.map((member) => member.request.buyerFirstName.trim().toLowerCase()));
    const firstName = names.size === 1 ? request.buyerFirstName : null;
    const context = { firstName, wave: survey.wave, reminder: step === 'remind', entries };
    return [
      ...statements,
      ...this.mail.prepare({ requestId: null, template: 'survey-group', recipient: request.buyerEmail, ...groupMailOf(context) }),
    ];
  }

  /** A survey as its e-mail shows it, alone or among others: read again at sending time, it must hold all either needs. */
  private entryOf({ survey, request }: SurveyWithRequest, token: string, expiresAt: Date): SurveyEntry {
    const url = this.surveyUrl(token);
    return {
      surveyId: survey.id,
      requestId: request.id,
      reference: request.reference,
      subject: request.subject,
      // A company outside the public-procurement code signs a contract, it publishes no consultation.
      publicProcurement: impactQuestionsOf(request).publicProcurement,
      networkName: request.networkName,
      // The survey stays the network's; the buyer also reads who advised them, when not the network's own adviser.
      advisedBy:
        request.adviserFirstName && request.adviserOrganisation
          ? `${request.adviserFirstName}, ${ofOrganisation(request.adviserOrganisation)}`
          : null,
      departmentCode: request.departmentCode,
      expiresAt: expiresAt.toISOString(),
      surveyUrl: url,
      // Wave 1 offers one-click answers: links that only preselect the answer on the page (mail scanners follow links).
      oneClick:
        survey.wave === 'satisfaction'
          ? USEFULNESS.map((code) => ({ label: ONE_CLICK_USEFULNESS_LABELS[code], url: `${url}?usefulness=${code}` }))
          : [],
    };
  }

  private surveyMail(locked: SurveyWithRequest, token: string, expiresAt: Date, reminder: boolean): SqlStatement[] {
    const { survey, request } = locked;
    const entry = this.entryOf(locked, token, expiresAt);
    return this.mail.prepare({
      recipient: request.buyerEmail,
      ...singleMailOf({ firstName: request.buyerFirstName, wave: survey.wave, reminder }, entry),
    });
  }

  /**
   * A single survey e-mail as it goes: a group of one (groupMailWithheld), its survey named by its request and wave. It
   * goes as queued while its link stands; a first sending too, whose request may have been reopened since it was queued.
   */
  private async surveyMailWithheld({ requestId, recipient, context }: Parameters<MailWithholding>[0]): Promise<boolean> {
    const wave = SURVEY_WAVES.find((known) => known === context?.wave);
    const surveyUrl = context?.surveyUrl;
    // One naming no survey (none queued here does) has only its address to check.
    if (!requestId || !wave || typeof surveyUrl !== 'string') return this.addressOptedOut(recipient);
    const listed = [{ surveyId: surveyIdOf(requestId, wave), surveyUrl }];
    return !(await this.standingOf(recipient, listed, context?.reminder === true)).length;
  }

  /**
   * A grouped survey e-mail as it goes, without the requests whose link no longer stands (standingOf), withheld when
   * none is left.
   */
  private async groupMailWithheld({ recipient, context }: Parameters<MailWithholding>[0]): ReturnType<MailWithholding> {
    const group = context as unknown as SurveyGroupContext;
    const entries = await this.standingOf(recipient, group.entries, group.reminder);
    if (!entries.length) return true;
    // Rebuilt even when all stand: an erasure may have taken an entry out of the queued context, its subject's count with it.
    // One left: the e-mail an ungrouped survey gets, in its request's thread, its refusal the request's own.
    return entries.length === 1 ? singleMailOf(group, entries[0]) : groupMailOf({ ...group, entries });
  }

  /**
   * The surveys of an e-mail about to go that it may still offer. None for an address that opted out since it was queued:
   * each survey's next step, decided now, declines it as it does for a survey queued before the opt-out. Else those whose
   * link still stands: not refused, withdrawn by a reopening, renewed by a correction of the address — nor, for a reminder,
   * answered or expired while a late worker or an SMTP retry held it back (its link would only say the survey is over).
   */
  private async standingOf<T extends { surveyId: string; surveyUrl: string }>(
    recipient: string,
    listed: T[],
    reminder: boolean,
  ): Promise<T[]> {
    if (await this.addressOptedOut(recipient)) {
      for (const { surveyId } of listed) await this.step(surveyId);
      return [];
    }
    const standing = new Set(
      await this.surveys.standingLinks(
        listed.map((entry) => entry.surveyId),
        listed.map((entry) => sha256(tokenOf(entry.surveyUrl))),
        reminder,
      ),
    );
    return listed.filter((entry) => standing.has(entry.surveyId));
  }

  /** The columns of a survey's link: its token's hash, to find it, and the token sealed, for the reminder to carry. */
  private linkOf(surveyId: string, token: string): { tokenHash: Buffer; tokenSealed: Buffer } {
    return { tokenHash: sha256(token), tokenSealed: sealFor(this.config.APP_SECRET, 'survey', surveyId, token) };
  }

  /**
   * Locks every request of the request's address (any case), the order an opt-out and its lifting take: its keys and the
   * requests' ids. Refused for an erased request, or one whose address was corrected between the read and the lock.
   */
  private async lockAddressOf(manager: EntityManager, requestId: string): Promise<{ hashes: Buffer[]; ids: string[]; email: string }> {
    const email = await this.surveys.buyerEmailOf(manager, requestId);
    if (email === null) throw new NotFound();
    const hashes = this.optOutHashes(email);
    const locked = hashes.length ? await this.surveys.lockRequestsOf(manager, email) : [];
    if (!locked.some((request) => request.id === requestId)) {
      throw new ActionRefused('Les données personnelles de cette demande sont effacées ou ont changé : rechargez la page.');
    }
    return { hashes, ids: locked.map((request) => request.id), email };
  }

  private optOutHashes(email: string): Buffer[] {
    return surveyOptOutHashes(this.config.openingSecrets, email);
  }

  private surveyUrl(token: string): string {
    return `${this.config.PUBLIC_URL}/questionnaire/${token}`;
  }

  private timerStatement(surveyId: string, dueAt: Date): SqlStatement {
    return this.outbox.addStatement(
      'survey.due',
      { surveyId },
      `survey-${surveyId}-${dueAt.getTime()}`,
      timerDelayMs(dueAt, this.clock.now()),
    );
  }

  private get delays(): SurveyDelays {
    return {
      satisfactionDelayDays: this.config.SURVEY_SATISFACTION_DELAY_DAYS,
      impactDelayMonths: this.config.SURVEY_IMPACT_DELAY_MONTHS,
      reminderDays: this.config.SURVEY_REMINDER_DAYS,
      expiryDays: this.config.SURVEY_EXPIRY_DAYS,
    };
  }
}

/** One survey of an e-mail: its request as the buyer knows it, its own link and one-click answers. */
interface SurveyEntry {
  surveyId: string;
  requestId: string;
  reference: string;
  subject: string;
  publicProcurement: boolean;
  networkName: string;
  advisedBy: string | null;
  departmentCode: string;
  expiresAt: string;
  surveyUrl: string;
  oneClick: Array<{ label: string; url: string }>;
}

interface SurveyGroupContext {
  /** Null: the listed requests name different buyers, greeted as one (« Bonjour, »). */
  firstName: string | null;
  wave: SurveyWave;
  reminder: boolean;
  entries: SurveyEntry[];
}

/**
 * The e-mail of one survey: queued so, or a grouped one left with a single request at sending time (then the same
 * message, not the grouped one in the singular). Its refusal link offers this request's refusal or the address's.
 */
function singleMailOf(
  { firstName, wave, reminder }: Omit<SurveyGroupContext, 'entries'>,
  entry: SurveyEntry,
): { requestId: string; template: string; subject: string; context: Record<string, unknown> } {
  // The request's own subject tells apart the mails of a buyer with several requests closed at once.
  const about = `Demande ${requestInSubject(entry.reference, entry.subject)}`;
  // After a dash, not in parentheses: a network's name may hold its own (« APuRe (avec le CERDD et le CD2E) »).
  const subject =
    wave === 'satisfaction'
      ? `${about} : la réponse vous a-t-elle été utile ?`
      : `${about} : qu’est devenu votre achat ? — réseau ${afterNetworkWord(entry.networkName)}`;
  return {
    requestId: entry.requestId,
    template: 'survey',
    // Every e-mail a buyer receives names the desk at the end of its subject.
    subject: `${reminder ? 'Rappel — ' : ''}${subject} — Guichet vert`,
    context: {
      firstName,
      reference: entry.reference,
      subject: entry.subject,
      wave,
      publicProcurement: entry.publicProcurement,
      networkName: entry.networkName,
      advisedBy: entry.advisedBy,
      reminder,
      expiresAt: entry.expiresAt,
      departmentCode: entry.departmentCode,
      surveyUrl: entry.surveyUrl,
      declineUrl: `${entry.surveyUrl}/refus`,
      oneClick: entry.oneClick,
    },
  };
}

/**
 * A grouped e-mail (two requests or more) and its subject, saying how many. Its refusal link (`portee=adresse`) speaks of
 * the address: its page offers the address's opt-out; the one-click POST a mail client sends to List-Unsubscribe declines
 * the surveys of the requests it lists only. It carries every listed survey's token, so that it works as long as one
 * stands: any may be erased, refused or renewed later.
 */
function groupMailOf(group: SurveyGroupContext): { subject: string; context: Record<string, unknown> } {
  const question = group.wave === 'satisfaction' ? 'les réponses vous ont-elles été utiles ?' : 'que sont devenus vos achats ?';
  return {
    subject: `${group.reminder ? 'Rappel — ' : ''}Vos ${group.entries.length} demandes : ${question} — Guichet vert`,
    context: {
      ...group,
      declineUrl: `${group.entries.map((entry, i) => (i ? tokenOf(entry.surveyUrl) : entry.surveyUrl)).join('.')}/refus?portee=adresse`,
    },
  };
}

/** The tokens of a refusal link's key (none when malformed). */
function refusalKeyTokens(key: unknown): string[] {
  return typeof key === 'string' && REFUSAL_KEY_SHAPE.test(key) ? key.split('.') : [];
}

/** The token a survey's link ends with. */
function tokenOf(surveyUrl: string): string {
  return surveyUrl.slice(surveyUrl.lastIndexOf('/') + 1);
}

/** A survey as its next step reads it. */
function stateOf({ survey, request }: SurveyWithRequest, optedOut: boolean): SurveyState {
  return { status: survey.status, dueAt: survey.dueAt, expiresAt: survey.expiresAt, buyerMayBeAsked: buyerMayBeAsked(request), optedOut };
}

/**
 * The request is (still) closed as answered — a reopened one is not surveyed until it closes again — and its personal
 * data are not erased.
 */
function buyerMayBeAsked(request: SurveyWithRequest['request']): boolean {
  return request.status === 'closed' && request.closeReason === 'answered' && request.anonymisedAt === null;
}

/** One id per request and wave, so a closure after a reopening finds the same survey (and its timers name it). */
function surveyIdOf(requestId: string, wave: SurveyWave): string {
  return uuidFromDigest(sha256(`survey:${requestId}:${wave}`));
}

/** Whether the token is still the survey's link: a correction of the address renews it. */
function opensSurvey(token: unknown, survey: { tokenHash: Buffer | null }): boolean {
  return typeof token === 'string' && survey.tokenHash !== null && survey.tokenHash.equals(sha256(token));
}

/** Private: the buyer-update e-mail follows public events only, and the request's status does not change. */
function surveyEvent(requestId: string, type: string, wave: SurveyWave, actorType: 'system' | 'buyer' = 'system'): NewRequestEvent {
  return { requestId, type, fromStatus: null, toStatus: null, actorType, actorId: null, reason: wave, isPublic: false };
}
