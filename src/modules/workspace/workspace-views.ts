import { pagingLinks } from '../../web/paging';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { uploadLimitsOf } from '../attachments/attachments.service';
import { randomToken } from '../../common/tokens';
import { visibleNetworks } from '../accounts/access.policy';
import { ROLE_LABELS, StaffPrincipal } from '../accounts/accounts.types';
import { FieldError } from '../../common/errors/app-errors';
import { formModel, FormModel } from '../../web/form-model';
import { noticeOf } from '../../web/notices';
import { ReferenceService } from '../reference/reference.service';
import { HELP_ITEM_FIELDS, typedHelpItemLines } from '../requests/help-item.policy';
import {
  COMPLEMENT_LABEL,
  completesAnswer,
  HELP_ITEM_TYPE_LABELS,
  HELP_ITEM_TYPES,
  MESSAGE_KIND_LABELS,
  REFERRAL_TARGET_LABELS,
  REFERRAL_TARGETS,
} from '../requests/request-message.types';
import {
  CLOSE_REASON_LABELS,
  KIND_LABELS,
  ORGANISATION_TYPE_LABELS,
  OrganisationType,
  PURCHASE_STAGE_LABELS,
  PurchaseStage,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  STAFF_STATUS_LABELS,
} from '../requests/request.types';
import { parisDay } from '../../common/clock';
import { euThresholdNotice } from './eu-threshold.policy';
import { assignmentEndLabel, historyEventLabel, historyReasonLabel, referenceParts } from './history-labels';
import { listsOpenOnly, missedTakeCharge, QUEUE_SORTS, QueueFilters, QueueSort, tabsApply } from './workspace-queue.policy';
import { frenchDay } from '../../common/french-format';
import { DECLINE_REASONS, PermittedActions, WorkspaceService } from './workspace.service';
import { noLongerYoursNotice } from './no-longer-yours';
import { ESCALATION_MISSES } from '../routing/escalation.policy';

const DECLINE_LABELS = {
  not_my_territory: 'Hors de mon territoire',
  not_my_expertise: 'Hors de mon expertise',
  unavailable: 'Indisponible',
};
/** Help items the answer form offers: the first three shown, the next ones as the one before gets a type (script). */
const ITEM_SLOTS = 8;
const ITEM_SLOTS_SHOWN = 3;
/** Which types use each field of a help item, space-separated: the answer form's script shows a field for those only. */
const ITEM_FIELD_TYPES: Record<string, string> = Object.fromEntries(
  [...new Set(Object.values(HELP_ITEM_FIELDS).flat())].map((field) => [
    field,
    HELP_ITEM_TYPES.filter((type) => HELP_ITEM_FIELDS[type].includes(field)).join(' '),
  ]),
);

/** The forms of the request page, each re-rendered with its own errors. */
export const REQUEST_FORMS = [
  'decline',
  'note',
  'clarify',
  'answer',
  'close',
  'erase',
  'contact',
  'refuseSurveys',
  'acceptSurveys',
] as const;
export type RequestFormName = (typeof REQUEST_FORMS)[number];

/** One of the request page's forms; its own id prefix keeps its fields apart from the other forms' (several have a `body`). */
export function requestForm(name: RequestFormName, values?: Record<string, unknown>, errors?: FieldError[]): FormModel {
  return { ...formModel(values, errors), idPrefix: `${name}-` };
}

/** What an action's redirect (`?fait=`) tells the person on the page it leads to. */
const DONE_NOTICES: Record<string, string> = {
  'prise-en-charge': 'Vous avez pris cette demande en charge.',
  declin:
    'Vous avez décliné la demande : elle est attribuée de nouveau, à un collègue ou, si personne ne peut la prendre, à la réserve du réseau.',
  rendue: 'Vous avez rendu la demande : elle est confiée à un collègue. L’acheteur est prévenu du changement.',
  'rendue-reserve':
    'Vous avez rendu la demande : personne d’autre ne peut la prendre maintenant, elle attend dans la réserve du réseau, dont l’animation est prévenue. L’acheteur aussi.',
  note: 'La note interne est enregistrée.',
  precision: 'Votre question est envoyée à l’acheteur. Le délai de réponse est suspendu jusqu’à sa précision.',
  reponse: 'Votre réponse est envoyée à l’acheteur.',
  complement: 'Votre complément est envoyé à l’acheteur ; son délai pour vous répondre repart d’aujourd’hui.',
  cloture: 'La demande est clôturée.',
  'brouillon-supprime': 'Le brouillon de votre réponse est supprimé.',
  reouverture: 'La demande est rouverte : elle est de nouveau en cours, chez le facilitateur qui la suivait. L’acheteur est prévenu.',
  'reouverture-routage':
    'La demande est rouverte. Le facilitateur qui la suivait n’est pas disponible (parti de l’annuaire ou absent) : elle est attribuée de nouveau, ou attend dans la réserve du réseau. L’acheteur est prévenu.',
  'reouverture-ailleurs':
    'La demande est rouverte. Une absence est déclarée pour vous, ou votre fiche ne reçoit plus de demandes : elle est attribuée à un collègue, ou attend dans la réserve du réseau. L’acheteur est prévenu.',
  // Back to « Reçue » until routing places it: not yet anyone's.
  transfert:
    'La demande est transférée : elle repart en attribution selon son nouveau type, vers un facilitateur de ce domaine ou, si aucun n’est disponible, vers la réserve du réseau.',
  scission: 'La demande est scindée : les nouvelles demandes sont attribuées chacune de leur côté, l’acheteur est prévenu.',
  reaffectation: 'La demande est confiée à un autre facilitateur : il en est prévenu par courriel, comme celui qui la tenait.',
  attribution: 'La demande est confiée : son facilitateur en est prévenu par courriel.',
  'mise-en-reserve': 'Aucun facilitateur ne peut la prendre maintenant : la demande attend dans la réserve du réseau.',
  reserve: 'Vous avez pris cette demande dans la réserve : elle vous est attribuée.',
  effacement: 'Les données personnelles de l’acheteur sont effacées.',
  'questionnaires-refuses':
    'C’est noté : l’acheteur ne recevra plus aucun questionnaire de suivi à cette adresse ; ceux qui restaient à venir, pour toutes ses demandes, sont annulés.',
  'questionnaires-acceptes':
    'C’est noté : l’acheteur recevra de nouveau les questionnaires de suivi à cette adresse, pour ses demandes clôturées à partir de maintenant. Ceux annulés pendant son refus le restent.',
  // What went where, so that staff can tell the buyer where to look.
  coordonnees:
    'Les coordonnées de l’acheteur sont corrigées. Sa nouvelle adresse reçoit un courriel avec la référence et un nouveau lien de suivi ; l’ancien lien ne fonctionne plus. L’ancienne adresse est prévenue du changement, sans lien. Les courriels qui ne lui étaient pas encore parvenus partent à la nouvelle adresse.',
  'coordonnees-meme-adresse':
    'Les coordonnées de l’acheteur sont corrigées. Son adresse électronique et son lien de suivi restent les mêmes.',
};

/** The queue's filters as its address names them, in the form's order: the tab, the order and the page are no filters. */
const FILTER_PARAMS = ['q', 'status', 'kind', 'segment', 'department', 'network', 'facilitator', 'du', 'au', 'late', 'escalated'] as const;
type FilterParam = (typeof FILTER_PARAMS)[number];

const QUEUE_SORT_LABELS: Record<QueueSort, string> = {
  deadline: 'Par échéance',
  needed_by: 'Par date souhaitée par l’acheteur',
  submitted: 'Par date de dépôt',
};

export function doneNotice(done: unknown): string | undefined {
  return noticeOf(DONE_NOTICES, done);
}

/** The answer form just saved as a draft by its button: kept (or nothing typed, none left), files chosen with it dropped. */
export interface DraftSaved {
  kept: boolean;
  filesDropped: boolean;
}

/** What « Enregistrer le brouillon »'s redirect (`?fait=`) tells the draft's notice, which shows it in the answer section. */
const DRAFT_SAVED: Record<string, DraftSaved> = {
  brouillon: { kept: true, filesDropped: false },
  'brouillon-sans-fichiers': { kept: true, filesDropped: true },
  'brouillon-vide': { kept: false, filesDropped: false },
};

export function draftSavedOf(done: unknown): DraftSaved | undefined {
  return noticeOf(DRAFT_SAVED, done);
}

/** The `?fait=` word of a draft saved by the button (DRAFT_SAVED's keys). */
export function draftSavedDone(kept: boolean, filesDropped: boolean): string {
  return !kept ? 'brouillon-vide' : filesDropped ? 'brouillon-sans-fichiers' : 'brouillon';
}

type Queue = Awaited<ReturnType<WorkspaceService['queue']>>;
type Page = Awaited<ReturnType<WorkspaceService['requestPage']>>;

/** Labels and choices for the workspace pages: the templates only lay them out. */
@Injectable()
export class WorkspaceViews {
  constructor(
    private readonly reference: ReferenceService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  queuePage(staff: StaffPrincipal, filters: QueueFilters, queue: Queue) {
    const query = (change: Record<string, unknown>) => {
      const params = new URLSearchParams();
      const all = {
        tab: filters.tab,
        status: filters.status,
        kind: filters.kind,
        segment: filters.segment,
        department: filters.department,
        network: filters.network,
        late: filters.lateOnly ? '1' : null,
        escalated: filters.escalatedOnly ? '1' : null,
        q: filters.search,
        facilitator: filters.facilitator,
        du: filters.from,
        au: filters.to,
        sort: filters.sort === 'deadline' ? null : filters.sort,
        ...change,
      };
      for (const [key, value] of Object.entries(all)) if (value) params.set(key, String(value));
      return `/espace?${params.toString()}`;
    };
    const applied = this.appliedFilters(filters, queue).map(({ key, label }) => ({ label, url: query({ [key]: null, page: null }) }));
    const mineLabel =
      // Beside « Réserve », the tab holds the requests given to a facilitator: « toutes » would leave the pool out unsaid.
      staff.role === 'facilitator' ? 'Mes demandes' : staff.role === 'admin' ? 'Demandes attribuées' : 'Demandes attribuées de mes réseaux';
    return {
      // Escalated requests are listed whatever the tab (tabsApply): the title says so.
      title: filters.escalatedOnly
        ? `Délai de prise en charge dépassé ${ESCALATION_MISSES} fois ou plus, réserve comprise`
        : filters.tab === 'pool'
          ? 'Réserve'
          : mineLabel,
      heading: `Espace ${ROLE_LABELS[staff.role].toLowerCase()}`,
      filters,
      // Near the list's heading, each with its link to the list without it (the others kept), and one without any.
      appliedFilters: applied,
      withoutFilters: query(Object.fromEntries(FILTER_PARAMS.map((key) => [key, null]))),
      tabsApply: tabsApply(filters),
      // Animators and admins give a request waiting for nobody themselves (the « Confier » page).
      showStaysInPool: staff.role !== 'facilitator',
      // Animators and admins see who holds each request, and may list one facilitator's; in the pool, no one holds any.
      showFacilitator: staff.role !== 'facilitator' && filters.tab !== 'pool',
      facilitatorOptions: queue.facilitators.map((f) => ({ value: f.id, label: f.name })),
      queue: {
        ...queue,
        items: queue.items.map((item) => ({
          ...item,
          missedTakeCharge: missedTakeCharge(item),
          statusLabel: STAFF_STATUS_LABELS[item.status],
          kindLabel: KIND_LABELS[item.kind],
          department: this.reference.departmentLabel(item.departmentCode),
          segment: this.reference.segmentLabel(item.segmentCode),
        })),
      },
      tabs: [
        {
          value: 'mine',
          label: mineLabel,
          count: queue.counts.mine,
          url: query({ tab: 'mine', status: null, page: null }),
        },
        { value: 'pool', label: 'Réserve', count: queue.counts.pool, url: query({ tab: 'pool', status: null, page: null }) },
      ],
      // The pool holds the requests waiting for a facilitator, and only them: each tab offers the statuses it can list
      // (both tabs' without them).
      statusOptions: REQUEST_STATUSES.filter((s) => !tabsApply(filters) || (filters.tab === 'pool') === (s === 'unassigned')).map((s) => ({
        value: s,
        label: STAFF_STATUS_LABELS[s],
        count: queue.counts.byStatus[s] ?? 0,
      })),
      sortOptions: QUEUE_SORTS.filter((value) => filters.tab !== 'pool' || value !== 'deadline').map((value) => ({
        value,
        label: QUEUE_SORT_LABELS[value],
      })),
      escalationMisses: ESCALATION_MISSES,
      sortLabel: QUEUE_SORT_LABELS[filters.sort].toLowerCase(),
      kindOptions: REQUEST_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
      segmentOptions: this.reference.segmentOptions(),
      // A filter offers what the person may see: their networks' départements.
      departmentOptions: this.reference.departmentOptions(visibleNetworks(staff)),
      // Only for someone who sees several networks: an admin, or an animator of more than one.
      networkOptions:
        staff.role !== 'facilitator' && visibleNetworks(staff)?.length !== 1 ? this.reference.networkOptions(visibleNetworks(staff)) : [],
      // The list's requests, its tab's alone: open ones as the list shows them, unless a status is chosen or a search made.
      exportUrl: `/espace/export/demandes.csv${queryString({
        tab: filters.tab,
        ouvertes: listsOpenOnly(filters) ? '1' : null,
        status: filters.status,
        kind: filters.kind,
        segment: filters.segment,
        department: filters.department,
        reseau: filters.network,
        q: filters.search,
        facilitator: filters.facilitator,
        late: filters.lateOnly ? '1' : null,
        escalated: filters.escalatedOnly ? '1' : null,
        du: filters.from,
        au: filters.to,
      })}`,
      ...pagingLinks(queue, (page) => query({ page })),
    };
  }

  /** The filters that narrow the list, by their query parameter, in the words of the form's fields. */
  private appliedFilters(filters: QueueFilters, queue: Queue): Array<{ key: FilterParam; label: string }> {
    const facilitator = queue.facilitators.find((f) => f.id === filters.facilitator)?.name ?? 'identifiant inconnu';
    const labels: Record<FilterParam, string | null> = {
      q: filters.search && `Recherche : « ${filters.search} »`,
      status: filters.status && `Statut : ${STAFF_STATUS_LABELS[filters.status]}`,
      kind: filters.kind && `Type : ${KIND_LABELS[filters.kind]}`,
      segment: filters.segment && `Segment d’achat : ${this.reference.segmentLabel(filters.segment)}`,
      department: filters.department && `Département : ${this.reference.departmentLabel(filters.department)}`,
      network: filters.network && `Réseau : ${this.reference.network(filters.network)?.name ?? filters.network}`,
      facilitator: filters.facilitator && `Facilitateur : ${facilitator}`,
      du: filters.from && `Déposées à partir du ${frenchDay(filters.from)}`,
      au: filters.to && `Déposées jusqu’au ${frenchDay(filters.to)}`,
      late: filters.lateOnly ? 'En retard seulement' : null,
      escalated: filters.escalatedOnly ? `Délai de prise en charge dépassé ${ESCALATION_MISSES} fois ou plus` : null,
    };
    return FILTER_PARAMS.flatMap((key) => (labels[key] ? [{ key, label: labels[key] }] : []));
  }

  /** The help items of an answer form not sent, one line each, by the labels the form showed (typedHelpItemLines). */
  typedHelpItems(items: unknown): string[] {
    return typedHelpItemLines(items, (code) => this.reference.legalReference(code)?.label);
  }

  /** The 404 page of a former holder (WorkspaceService.noLongerYours): why, the change that took it if they may read it, the way back. */
  noLongerYoursPage(reference: string, lastChange: string | null) {
    return {
      title: `Demande ${reference} : elle ne vous est plus confiée`,
      heading: `Demande ${reference}`,
      message: noLongerYoursNotice(lastChange),
      inWorkspace: true,
      notFound: true,
      backTo: { href: '/espace', label: 'Mes demandes' },
    };
  }

  requestPage(page: Page) {
    const { request } = page;
    return {
      ...page,
      messages: page.messages.map((message, index, all) => ({
        ...message,
        kindLabel: completesAnswer(all, index) ? COMPLEMENT_LABEL : MESSAGE_KIND_LABELS[message.kind],
      })),
      // The answer form says which buyer message its writer had before them (the page's, even when sent back as typed).
      lastBuyerMessageId: [...page.messages].reverse().find((message) => message.authorType === 'buyer')?.id ?? '',
      title: `Demande ${request.reference}`,
      // A request waiting in the network's pool was opened from the « Réserve » tab: back to it.
      listUrl: request.status === 'unassigned' ? '/espace?tab=pool' : '/espace',
      statusLabel: STAFF_STATUS_LABELS[request.status],
      statusLabels: STAFF_STATUS_LABELS,
      history: page.history.map((event) => ({
        ...event,
        label: historyEventLabel(event.type, event.assigneeName),
        reasonParts: referenceParts(historyReasonLabel(event.reason) ?? ''),
      })),
      assignments: page.assignments.map((a) => ({ ...a, endLabel: assignmentEndLabel(a) })),
      closeReasonLabel: request.closeReason ? CLOSE_REASON_LABELS[request.closeReason] : null,
      buyerRequests: page.buyerRequests.map((other) => ({
        ...other,
        statusLabel: other.closeReason
          ? `Clôturée : ${CLOSE_REASON_LABELS[other.closeReason].toLowerCase()}`
          : STAFF_STATUS_LABELS[other.status],
      })),
      similarRequests: page.similarRequests.map((similar) => ({
        ...similar,
        segment: this.reference.segmentLabel(similar.segmentCode),
      })),
      kindLabel: KIND_LABELS[request.kind],
      department: this.reference.departmentLabel(request.departmentCode),
      segment: this.reference.segmentLabel(request.segmentCode),
      stage: PURCHASE_STAGE_LABELS[request.purchaseStage as PurchaseStage],
      organisationType: ORGANISATION_TYPE_LABELS[request.organisationType as OrganisationType],
      thresholdNotice: euThresholdNotice(
        {
          estimatedAmount: request.estimatedAmount === null ? null : Number(request.estimatedAmount),
          organisationType: request.organisationType as OrganisationType,
          segmentCode: request.segmentCode,
        },
        parisDay(new Date(request.createdAt)),
      ),
      helpItemLabels: HELP_ITEM_TYPE_LABELS,
      referralLabels: REFERRAL_TARGET_LABELS,
      declineReasons: DECLINE_REASONS.map((value) => ({ value, label: DECLINE_LABELS[value] })),
      closeReasons: page.actions.closeReasons.map((value) => ({ value, label: CLOSE_REASON_LABELS[value] })),
      jumps: requestPageJumps(page.actions, page.request.status === 'answered'),
      helpItemTypes: HELP_ITEM_TYPES.map((value) => ({ value, label: HELP_ITEM_TYPE_LABELS[value] })),
      referralTargets: REFERRAL_TARGETS.map((value) => ({ value, label: REFERRAL_TARGET_LABELS[value] })),
      legalReferences: this.reference.legalReferencesFor(request.kind).map((l) => ({ value: l.code, label: l.label })),
      itemSlots: [...Array(ITEM_SLOTS).keys()],
      itemSlotsShown: ITEM_SLOTS_SHOWN,
      itemFieldTypes: ITEM_FIELD_TYPES,
      uploadLimits: uploadLimitsOf(this.config),
      forms: Object.fromEntries(REQUEST_FORMS.map((name) => [name, requestForm(name, initialValues(name, request))])) as Record<
        RequestFormName,
        FormModel
      >,
    };
  }
}

/**
 * What a request page's form starts with: a note changes no status and a complement none either, so nothing else stops
 * them being stored twice — their forms carry a one-time token; the buyer's contact form starts from what is recorded.
 */
function initialValues(name: RequestFormName, request: Page['request']): Record<string, unknown> | undefined {
  if (name === 'note' || name === 'answer') return { formToken: randomToken() };
  if (name !== 'contact') return undefined;
  const { buyerFirstName, buyerLastName, buyerEmail, buyerPhone, organisationName } = request;
  return { firstName: buyerFirstName, lastName: buyerLastName, email: buyerEmail, phone: buyerPhone ?? '', organisationName };
}

/** `?a=1&b=2` of the values set, or nothing. */
function queryString(values: Record<string, string | null>): string {
  const params = new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => !!entry[1]));
  return params.size ? `?${params.toString()}` : '';
}

/** The request page's « Aller à » links: the exchanges, the sections of forms this person may use, and the history. */
function requestPageJumps(actions: PermittedActions, answered: boolean): Array<{ id: string; label: string }> {
  const { takeCharge, decline, giveBack, takeFromPool, transfer, split, reassign, clarify, answer, closeReasons, reopen } = actions;
  return [
    { id: 'titre-actions', label: 'Actions', shown: takeCharge || decline || giveBack || takeFromPool || transfer || split || reassign },
    { id: 'titre-echanges', label: 'Échanges', shown: true },
    { id: 'titre-precision', label: 'Demander une précision', shown: clarify },
    { id: 'titre-reponse', label: answered ? 'Compléter la réponse' : 'Répondre', shown: answer },
    { id: 'titre-note', label: 'Note interne', shown: true },
    { id: 'titre-cloture', label: 'Clôturer', shown: closeReasons.length > 0 },
    { id: 'titre-reouverture', label: 'Rouvrir', shown: reopen },
    { id: 'titre-historique', label: 'Historique', shown: true },
  ]
    .filter((jump) => jump.shown)
    .map(({ id, label }) => ({ id, label }));
}
