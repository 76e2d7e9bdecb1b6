import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock';
import { AppError, NotFound } from '../../common/errors/app-errors';
import { tokenMatches } from '../../common/tokens';
import { affiliationOf, authorNamedInBuyerMail, authorShownToBuyer } from './message-author.policy';
import { answerIsNews } from './answer-news.policy';
import { ofPhrase } from '../../common/french-format';
import { workingEndOf } from '../../common/working-days.policy';
import { nextStepFor } from './next-step.policy';
import { autoCloseAt, enteredStatusAt, replyPermission } from './reply-window.policy';
import { allowedActions } from './request-state.policy';
import { AdviceRequest, RequestEvent } from './request.entities';
import { HelpItemView, MessageFile, MessageView, RequestMessagesRepository } from './request-messages.repository';
import {
  BUYER_MESSAGE_KIND_LABELS,
  COMPLEMENT_LABEL,
  completesAnswer,
  DROPPED_QUESTION_LABEL,
  HELP_ITEM_TYPE_LABELS,
  questionDropped,
  REFERRAL_TARGET_LABELS,
} from './request-message.types';
import { BUYER_CLOSE_REASON_LABELS, HANDED_OVER_EVENT, KIND_LABELS, PURCHASE_STAGE_LABELS, STATUS_LABELS } from './request.types';
import { RequestsRepository } from './requests.repository';
import {
  BuyerActionsDto,
  LatestAnswerDto,
  TrackedFileDto,
  TrackedHelpItemDto,
  TrackedMessageDto,
  TrackedRequestDto,
} from './dto/tracked-request.dto';

const EVENT_LABELS: Record<string, string> = {
  submitted: 'Demande reçue',
  assigned: 'Confiée à un facilitateur',
  unassigned: 'En attente d’un facilitateur disponible',
  taken_in_charge: 'Prise en charge par le facilitateur',
  buyer_clarified: 'Votre précision a été transmise',
  buyer_replied: 'Votre réponse a été transmise : demande rouverte',
  buyer_added_information: 'Vous avez ajouté une information',
  buyer_resolved: 'Vous avez indiqué que votre question est résolue : demande clôturée',
  withdrawn: 'Vous avez retiré votre demande',
  auto_closed: 'Clôturée à la fin du délai de réponse',
  reopened: 'Rouverte : le facilitateur reprend votre demande',
  [HANDED_OVER_EVENT]: 'Transmise à un autre facilitateur',
  answer_completed: 'Complément à la réponse reçu',
};

/** The request a split made this one from (its history line says « Créée par scission de GV-… »), or null. */
function splitFromOf(events: RequestEvent[]): string | null {
  const event = events.find((e) => e.type === 'split_from');
  return event?.reason?.match(/GV-\d{4}-\d+/)?.[0] ?? null;
}

/** A reopening whose facilitator has left or is absent goes to routing again: the buyer is not told they resume it. */
function eventLabel(event: RequestEvent): string {
  if (event.type === 'reopened' && event.toStatus === 'submitted') return 'Rouverte : elle sera confiée de nouveau à un facilitateur';
  // Its facilitator let it go and no other could take it yet: it waits in the network's pool.
  if (event.type === HANDED_OVER_EVENT && event.toStatus === 'unassigned') return 'En attente d’un autre facilitateur';
  if (event.type === 'split_from') {
    const origin = splitFromOf([event]);
    return `Demande créée à partir de votre demande ${origin ?? 'précédente'}, pour traiter cette question à part`;
  }
  return EVENT_LABELS[event.type] ?? (event.toStatus ? STATUS_LABELS[event.toStatus] : event.type);
}

/** The buyer's own link to a request whose personal data are erased: told so, where any other link reads 404. */
export class RequestErased extends AppError {
  constructor() {
    super(
      'gone',
      'Les données personnelles de cette demande ont été effacées : sa page de suivi n’est plus disponible. Pour une nouvelle question, déposez une nouvelle demande.',
      [],
      // What the buyer (or the retention period they were told of) asked for, not an error.
      { heading: 'Données effacées' },
    );
  }
}

@Injectable()
export class TrackingService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly messages: RequestMessagesRepository,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Unknown reference and wrong token answer alike, so a reference alone reveals nothing. */
  async findForBuyer(reference: string, token: string | undefined): Promise<TrackedRequestDto> {
    const request = await this.authorise(reference, token);
    const [history, facilitator, conversation, deadline, followsUp] = await Promise.all([
      this.requests.publicHistory(request.id),
      request.assignedFacilitatorId ? this.facilitatorOf(request.id, request.assignedFacilitatorId) : null,
      this.messages.messagesOf(request.id, 'buyer'),
      this.requests.applicableDeadline(request.id),
      request.followsUpRequestId ? this.requests.referenceOf(request.followsUpRequestId) : null,
    ]);
    return {
      ...toTracked(request, history, facilitator),
      followsUp,
      // Read as the pages write it: a time limit at Monday 00:00 ends « vendredi au soir », not two days later.
      nextStep: nextStepFor(request.status, deadline && workingEndOf(deadline, request.departmentCode), this.clock.now()),
      conversation: conversation.map((message, index) =>
        toTrackedMessage(request.reference, message, kindLabelOf(conversation, index, request.status === 'awaiting_buyer')),
      ),
      latestAnswer: latestAnswerOf(conversation, history, request.status === 'awaiting_buyer'),
      actions: this.actionsOf(request, conversation, history),
    };
  }

  private async facilitatorOf(requestId: string, facilitatorId: string): Promise<TrackedRequestDto['facilitator']> {
    const [shown, tookCharge] = await Promise.all([
      this.requests.facilitatorShownToBuyer(facilitatorId),
      this.requests.tookCharge(requestId, facilitatorId),
    ]);
    return shown && { ...shown, affiliation: affiliationOf(shown), tookCharge };
  }

  /** The request the buyer's link opens; anything else is the same 404, for every route the link leads to. */
  async authorise(reference: unknown, token: unknown): Promise<AdviceRequest> {
    // Typed by hand from a printed page, « gv-2026-000123 » is the same reference.
    const request =
      typeof reference === 'string' && reference.length <= 20 ? await this.requests.findByReference(reference.toUpperCase()) : null;
    if (!request || typeof token !== 'string' || !token || !tokenMatches(token, request.trackingTokenHash)) throw new NotFound();
    if (request.anonymisedAt) throw new RequestErased();
    return request;
  }

  private actionsOf(request: AdviceRequest, conversation: MessageView[], history: RequestEvent[]): BuyerActionsDto {
    const possible = allowedActions(request, 'buyer');
    const clarify = possible.includes('buyer_clarified');
    // A precision asked closes the request if left unanswered: the buyer reads until when, as the e-mail said (counted
    // from the question, as the closure counts it: a hand-over to another facilitator meanwhile moves nothing).
    const askedAt = clarify ? enteredStatusAt(history, 'awaiting_buyer') : null;
    const clarifyUntil = autoCloseAt(request.status, askedAt, request.departmentCode, this.config.REPLY_WINDOW_WORKING_DAYS);
    const answers = conversation.filter((m) => m.kind === 'answer');
    const answeredAt = answers.length ? answers[answers.length - 1].createdAt : null;
    const reply = possible.includes('buyer_replied_to_answer')
      ? replyPermission(request, answeredAt, this.clock.now(), request.departmentCode, this.config.REPLY_WINDOW_WORKING_DAYS)
      : null;
    return {
      clarify,
      clarifyUntil: clarifyUntil ? workingEndOf(clarifyUntil, request.departmentCode).toISOString() : null,
      reply: reply?.allowed ?? false,
      replyUntil: reply?.allowed ? workingEndOf(reply.until, request.departmentCode).toISOString() : null,
      // Only worth saying once there was an answer to reply to.
      replyRefusal: reply && !reply.allowed && answeredAt ? reply.message : null,
      addInformation: possible.includes('buyer_added_information'),
      resolve: possible.includes('buyer_resolved'),
      withdraw: possible.includes('withdraw'),
    };
  }
}

function toTracked(
  request: AdviceRequest,
  events: RequestEvent[],
  facilitator: TrackedRequestDto['facilitator'],
): Omit<TrackedRequestDto, 'conversation' | 'latestAnswer' | 'actions' | 'nextStep' | 'followsUp'> {
  return {
    reference: request.reference,
    status: request.status,
    statusLabel: STATUS_LABELS[request.status],
    closeReasonLabel: request.status === 'closed' && request.closeReason ? BUYER_CLOSE_REASON_LABELS[request.closeReason] : null,
    kind: request.kind,
    kindLabel: KIND_LABELS[request.kind],
    segment: request.segmentCode,
    segmentLabel: request.segment?.label ?? request.segmentCode,
    departmentCode: request.departmentCode,
    departmentName: request.department?.name ?? '',
    purchaseStage: request.purchaseStage,
    purchaseStageLabel: PURCHASE_STAGE_LABELS[request.purchaseStage],
    estimatedAmount: request.estimatedAmount === null ? null : Number(request.estimatedAmount),
    neededBy: request.neededBy,
    subject: request.subject,
    question: request.question,
    splitFrom: splitFromOf(events),
    submittedAt: request.createdAt.toISOString(),
    history: events.map((e) => ({
      at: e.createdAt.toISOString(),
      type: e.type,
      label: eventLabel(e),
      toStatus: e.toStatus,
    })),
    facilitator,
  };
}

/** The latest answer: where it is in the conversation, who wrote it, and whether it is the buyer's latest news. */
function latestAnswerOf(conversation: MessageView[], history: RequestEvent[], awaitingBuyer: boolean): LatestAnswerDto | null {
  const index = conversation.map((message) => message.kind === 'answer').lastIndexOf(true);
  if (index < 0) return null;
  const author = ofPhrase(authorNamedInBuyerMail(conversation[index].author));
  return {
    position: index + 1,
    announcement: completesAnswer(conversation, index)
      ? `Le complément à la réponse ${author} est arrivé`
      : `La réponse ${author} est arrivée`,
    news: answerIsNews(history, awaitingBuyer),
  };
}

/** A message's kind as the buyer reads it: an answer completing the one before, a question no longer asked, or its own. */
function kindLabelOf(conversation: MessageView[], index: number, awaitingBuyer: boolean): string {
  if (completesAnswer(conversation, index)) return COMPLEMENT_LABEL;
  if (questionDropped(conversation, index, awaitingBuyer)) return DROPPED_QUESTION_LABEL;
  return BUYER_MESSAGE_KIND_LABELS[conversation[index].kind];
}

function toTrackedMessage(reference: string, message: MessageView, kindLabel: string): TrackedMessageDto {
  return {
    kind: message.kind,
    kindLabel,
    fromBuyer: message.authorType === 'buyer',
    author: authorShownToBuyer(message.author),
    body: message.body,
    at: new Date(message.createdAt).toISOString(),
    items: message.items.map((item) => toTrackedItem(reference, item)),
    // The buyer may download the files of answers and their own (AttachmentsRepository.findDownload): no other is listed.
    files:
      message.kind === 'answer' || message.authorType === 'buyer' ? message.otherFiles.map((file) => toTrackedFile(reference, file)) : [],
  };
}

function toTrackedFile(reference: string, { id, ...file }: MessageFile): TrackedFileDto {
  const ref = encodeURIComponent(reference);
  return { ...file, downloadPath: `/suivi/${ref}/pieces-jointes/${id}`, apiDownloadPath: `/api/v1/requests/${ref}/files/${id}` };
}

function toTrackedItem(reference: string, item: HelpItemView): TrackedHelpItemDto {
  return {
    type: item.type,
    typeLabel: HELP_ITEM_TYPE_LABELS[item.type],
    title: item.title,
    url: item.url,
    legalReference: item.legalReference,
    file: item.attachment && toTrackedFile(reference, item.attachment),
    peer: item.type === 'peer' ? { name: item.peerName, organisation: item.peerOrganisation, contact: item.peerContact } : null,
    referral: item.referralTarget ? REFERRAL_TARGET_LABELS[item.referralTarget] : null,
    details: item.details,
  };
}
