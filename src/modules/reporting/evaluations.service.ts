import { pageOf } from '../../web/paging';
import { frenchNumber, requestInSubject } from '../../common/french-format';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { isUuid, typedText } from '../../common/validation';
import { AppConfig } from '../../config/app-config';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { MailService } from '../mail/mail.service';
import { RequestMessagesRepository, staffMessageView } from '../requests/request-messages.repository';
import { NewRequestEvent, RequestsRepository } from '../requests/requests.repository';
import { RoutingRepository } from '../routing/routing.repository';
import { Survey } from '../surveys/survey.entity';
import { EvaluationDetailDto, EvaluationDto } from './dto/evaluation-detail.dto';
import { WAVE_LABELS } from './evaluation-labels';
import {
  EVALUATIONS_PAGE_SIZE,
  evaluationActions,
  EvaluationListFilters,
  evaluationQueryProblems,
  filtersRefused,
  parseEvaluationFilters,
  reviewedMeanwhile,
  reviewSeenReadable,
} from './evaluations.policy';
import { ReferenceService } from '../reference/reference.service';
import { EvaluationsRepository, LockedEvaluation } from './evaluations.repository';

const NOTE_MAX = 5000;
const REVIEW_SEEN_UNREADABLE =
  'La date de revue lue est celle que donne l’évaluation (`reviewedAt`, date et heure ISO 8601), ou null si elle n’était pas revue.';
/** Ticking it is what the share form asks before the buyer's words leave the animators. */
export const SHARE_NOTICE_FIELD = 'notice';

/**
 * The animators' review of completed evaluations: list, detail beside the request and its answer, and the two
 * actions (reviewed with a note, shared with the facilitator), each one transaction with its private history event.
 */
@Injectable()
export class EvaluationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly evaluations: EvaluationsRepository,
    private readonly messages: RequestMessagesRepository,
    private readonly requests: RequestsRepository,
    private readonly routing: RoutingRepository,
    private readonly mail: MailService,
    private readonly clock: Clock,
    private readonly reference: ReferenceService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The API's filters, read strictly (the page's are read leniently, parseEvaluationFilters alone). */
  apiFilters(staff: StaffPrincipal, query: Record<string, unknown>): EvaluationListFilters {
    const problems = evaluationQueryProblems(query, this.reference.knownCodesWithin(visibleNetworks(staff)));
    const { filters, errors } = parseEvaluationFilters(query);
    const refused = [...problems, ...errors.filter((error) => !problems.some((problem) => problem.field === error.field))];
    if (!refused.length) return filters;
    // In the order the client wrote them.
    const order = Object.keys(query);
    throw filtersRefused(refused.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)));
  }

  async list(staff: StaffPrincipal, filters: EvaluationListFilters) {
    const { total, unreviewed } = await this.evaluations.count(staff, filters);
    const { page, pages, offset } = pageOf(total, filters.page, EVALUATIONS_PAGE_SIZE);
    const items = total ? await this.evaluations.page(staff, filters, EVALUATIONS_PAGE_SIZE, offset) : [];
    return { items, total, unreviewed, page, pages };
  }

  facilitatorChoices(staff: StaffPrincipal) {
    return this.evaluations.facilitatorChoices(staff);
  }

  /** detail() for scripts: the documented fields only, never the survey's link nor its schedule. */
  async detailForApi(staff: StaffPrincipal, id: string): Promise<EvaluationDetailDto> {
    const { evaluation, request, facilitatorAnswers, actions } = await this.detail(staff, id);
    const answers = facilitatorAnswers.map(staffMessageView);
    return { evaluation: evaluationView(evaluation), request, answer: answers.at(-1) ?? null, facilitatorAnswers: answers, actions };
  }

  /**
   * The evaluation, its request and every answer the facilitator wrote (a complement after a reply is one more), with
   * their help items; NotFound for what this person may not see.
   */
  async detail(staff: StaffPrincipal, id: string) {
    const found = isUuid(id) ? await this.evaluations.find(staff, id) : null;
    if (!found) throw new NotFound();
    const { survey, request } = found;
    const answers = (await this.messages.messagesOf(request.id, 'buyer')).filter((m) => m.kind === 'answer');
    const actions = evaluationActions(staff, { networkCode: request.networkCode, ...survey });
    return {
      // The review note is the animators' own: a facilitator reading a shared evaluation does not see it.
      evaluation: actions.review ? survey : { ...survey, reviewNote: null },
      request,
      facilitatorAnswers: answers,
      actions,
    };
  }

  /**
   * Marks it reviewed (again, if the note changes), with an optional internal note. `seen`: the review's date as the
   * person's page showed it (reviewedMeanwhile); a colleague's review made since is refused (409), never written over.
   */
  async review(staff: StaffPrincipal, id: string, note: unknown, seen?: unknown): Promise<void> {
    const text = typedText(note);
    // Checked once access is: for anyone else the evaluation does not exist, whatever they send.
    await this.act(staff, id, 'review', (evaluation, now) => {
      if (!reviewSeenReadable(seen)) throw new ValidationFailed([{ field: 'reviewedAt', message: REVIEW_SEEN_UNREADABLE }]);
      if (reviewedMeanwhile(seen, evaluation.reviewedAt)) {
        const by = evaluation.reviewerName ? ` par ${evaluation.reviewerName}` : '';
        const message = `Cette évaluation a été revue${by} depuis que vous l’avez ouverte : votre revue n’est pas enregistrée, pour ne pas remplacer la sienne.`;
        throw new AppError('conflict', message, [{ field: 'reviewedAt', message }]);
      }
      if (text.length > NOTE_MAX)
        throw new ValidationFailed([{ field: 'note', message: `La note ne doit pas dépasser ${frenchNumber(NOTE_MAX)} caractères.` }]);
      // Its personal data erased, no sweep would ever reach a note written now: the review is marked without one.
      if (text && evaluation.anonymisedAt)
        throw new ValidationFailed([
          { field: 'note', message: 'Les données de cette demande sont effacées : la revue s’enregistre sans note.' },
        ]);
      return [
        this.evaluations.reviewStatement(evaluation.id, staff.id, text || null, now),
        this.requests.eventStatement(
          this.event(evaluation, staff, 'evaluation_reviewed', `Évaluation « ${WAVE_LABELS[evaluation.wave]} » revue`),
        ),
      ];
    });
  }

  /** Shares it with the facilitator who answered, once, after the notice on reusing the buyer's words is ticked. */
  async share(staff: StaffPrincipal, id: string, notice: unknown): Promise<void> {
    await this.act(staff, id, 'share', async (evaluation, now, manager) => {
      if (!['on', 'true', true, '1'].includes(notice as string)) {
        throw new ValidationFailed([
          { field: SHARE_NOTICE_FIELD, message: 'Cochez l’avertissement sur la réutilisation des propos de l’acheteur pour partager.' },
        ]);
      }
      const facilitator = await this.routing.facilitatorContact(manager, evaluation.facilitatorId!);
      return [
        this.evaluations.shareStatement(evaluation.id, staff.id, now),
        this.requests.eventStatement(
          this.event(
            evaluation,
            staff,
            'evaluation_shared',
            `Évaluation « ${WAVE_LABELS[evaluation.wave]} » partagée avec le facilitateur`,
          ),
        ),
        ...(facilitator
          ? this.mail.prepare({
              requestId: evaluation.requestId,
              template: 'evaluation-shared',
              recipient: facilitator.email,
              subject: `Demande ${requestInSubject(evaluation.reference, evaluation.subject)} : une évaluation de l’acheteur vous est partagée`,
              context: {
                firstName: facilitator.firstName,
                reference: evaluation.reference,
                wave: WAVE_LABELS[evaluation.wave],
                evaluationUrl: `${this.config.PUBLIC_URL}/espace/evaluations/${evaluation.id}`,
              },
            })
          : []),
      ];
    });
  }

  /** Under the evaluation's lock: the rules decide on the locked row (404 if not allowed, 409 if no longer possible). */
  private async act(
    staff: StaffPrincipal,
    id: string,
    action: 'review' | 'share',
    statements: (evaluation: LockedEvaluation, now: Date, manager: EntityManager) => SqlStatement[] | Promise<SqlStatement[]>,
  ): Promise<void> {
    if (!isUuid(id)) throw new NotFound();
    await this.dataSource.transaction(async (manager) => {
      const evaluation = await this.evaluations.lockVisible(manager, staff, id);
      const allowed = evaluation && evaluationActions(staff, evaluation);
      if (!evaluation || !allowed || !allowed.review) throw new NotFound();
      if (action === 'share' && !allowed.share) {
        const message = evaluation.facilitatorId
          ? `Cette évaluation est déjà partagée avec le facilitateur${evaluation.sharerName ? `, par ${evaluation.sharerName}` : ''} : rien n’est renvoyé.`
          : 'Aucun facilitateur n’a répondu à cette demande : il n’y a personne avec qui partager.';
        throw new AppError('conflict', message, [{ field: SHARE_NOTICE_FIELD, message }]);
      }
      await runAsOne(manager, await statements(evaluation, this.clock.now(), manager));
    });
  }

  /** Private: the buyer never sees the review in their history. */
  private event(evaluation: LockedEvaluation, staff: StaffPrincipal, type: string, reason: string): NewRequestEvent {
    const status = evaluation.requestStatus;
    return {
      requestId: evaluation.requestId,
      type,
      fromStatus: status,
      toStatus: status,
      actorType: 'staff',
      actorId: staff.id,
      reason,
      isPublic: false,
    };
  }
}

function evaluationView(survey: Survey): EvaluationDto {
  return {
    id: survey.id,
    requestId: survey.requestId,
    wave: survey.wave,
    facilitatorId: survey.facilitatorId,
    completedAt: survey.completedAt!,
    answeredAt: survey.answeredAt,
    usefulness: survey.usefulness,
    quickEnough: survey.quickEnough,
    comment: survey.comment,
    contractOutcome: survey.contractOutcome,
    contractDate: survey.contractDate,
    contractReference: survey.contractReference,
    levers: survey.levers,
    awardCriterionWeight: survey.awardCriterionWeight,
    insertionHours: survey.insertionHours,
    themes: survey.themes,
    environmentalConsiderations: survey.environmentalConsiderations,
    socialConsiderations: survey.socialConsiderations,
    contractAmount: survey.contractAmount,
    obstacles: survey.obstacles,
    wouldUseAgain: survey.wouldUseAgain,
    reuseConsent: survey.reuseConsent,
    reviewedAt: survey.reviewedAt,
    reviewedBy: survey.reviewedBy,
    reviewNote: survey.reviewNote,
    sharedWithFacilitatorAt: survey.sharedWithFacilitatorAt,
  };
}
