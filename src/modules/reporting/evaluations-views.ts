import { pagingLinks } from '../../web/paging';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { FieldError } from '../../common/errors/app-errors';
import { formModel, FormModel } from '../../web/form-model';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { visibleNetworks } from '../accounts/access.policy';
import { ReferenceService } from '../reference/reference.service';
import { HELP_ITEM_TYPE_LABELS, REFERRAL_TARGET_LABELS } from '../requests/request-message.types';
import { CLOSE_REASON_LABELS, KIND_LABELS, ORGANISATION_TYPE_LABELS, OrganisationType, REQUEST_KINDS } from '../requests/request.types';
import { SURVEY_WAVES } from '../surveys/survey.types';
import { CONTRACT_OUTCOME_LABELS, IMPACT_ANSWERS, SATISFACTION_ANSWERS, USEFULNESS_LABELS, WAVE_LABELS } from './evaluation-labels';
import { EvaluationFilters, evaluationQuery, SCORES, scoreColumns } from './evaluations.policy';
import type { EvaluationsService } from './evaluations.service';

type List = Awaited<ReturnType<EvaluationsService['list']>>;
type Detail = Awaited<ReturnType<EvaluationsService['detail']>>;

/** Labels and choices for the evaluation pages: the templates only lay them out. */
@Injectable()
export class EvaluationsViews {
  constructor(
    private readonly reference: ReferenceService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  listPage(
    staff: StaffPrincipal,
    filters: EvaluationFilters,
    list: List,
    facilitators: Array<{ id: string; name: string }>,
    errors: FieldError[],
  ) {
    const link = (change: Record<string, string | number | null>) => withQuery('/espace/evaluations', evaluationQuery(filters, change));
    const networks = visibleNetworks(staff);
    return {
      impactMonths: this.config.SURVEY_IMPACT_DELAY_MONTHS,
      title: 'Évaluations',
      filters,
      form: formModel({}, errors),
      list: {
        ...list,
        items: list.items.map((item) => ({
          ...item,
          waveLabel: WAVE_LABELS[item.wave],
          scoreLabel: item.usefulness
            ? USEFULNESS_LABELS[item.usefulness]
            : item.contractOutcome
              ? CONTRACT_OUTCOME_LABELS[item.contractOutcome]
              : '—',
          kindLabel: KIND_LABELS[item.kind],
          segment: this.reference.segmentLabel(item.segmentCode),
          department: this.reference.departmentLabel(item.departmentCode),
          url: withQuery(`/espace/evaluations/${item.id}`, evaluationQuery(filters, { page: list.page > 1 ? list.page : null })),
        })),
      },
      networkOptions: this.reference.networkOptions(networks),
      showNetworks: staff.role !== 'facilitator' && (networks === null || networks.length > 1),
      // A facilitator reads the evaluations shared with them, all about their own answers: no review to follow.
      reviews: staff.role !== 'facilitator',
      kindOptions: REQUEST_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
      segmentOptions: this.reference.segmentOptions(),
      departmentOptions: this.reference.departmentOptions(networks),
      facilitatorOptions: facilitators.map((f) => ({ value: f.id, label: f.name })),
      waveOptions: SURVEY_WAVES.map((w) => ({ value: w, label: WAVE_LABELS[w] })),
      scoreGroups: [
        { label: WAVE_LABELS.satisfaction, options: SCORES.filter((s) => scoreColumns(s).usefulness) },
        { label: WAVE_LABELS.impact, options: SCORES.filter((s) => scoreColumns(s).outcome) },
      ].map((group) => ({
        label: group.label,
        options: group.options.map((value) => {
          const { usefulness, outcome } = scoreColumns(value);
          return { value, label: usefulness ? USEFULNESS_LABELS[usefulness] : CONTRACT_OUTCOME_LABELS[outcome!] };
        }),
      })),
      exportUrl: withQuery('/espace/export/evaluations.csv', evaluationQuery(filters)),
      exportCommaUrl: `/espace/export/evaluations.csv?${evaluationQuery(filters, { separateur: 'virgule' })}`,
      ...pagingLinks(list, (page) => link({ page })),
    };
  }

  /** `forms`: as typed, when sent back; `refused`: why an action was refused, a colleague having acted meanwhile. */
  detailPage(
    detail: Detail,
    backQuery: string,
    forms: { review?: FormModel; share?: FormModel; refused?: { review?: string; share?: string } } = {},
  ) {
    const { evaluation: e, request } = detail;
    return {
      ...detail,
      title: `Évaluation de la demande ${request.reference}`,
      backUrl: withQuery(`/espace/evaluations`, backQuery),
      // The forms carry the list's filters, so that the page after the action still leads back to them.
      actionQuery: backQuery ? `?${backQuery}` : '',
      waveLabel: WAVE_LABELS[e.wave],
      kindLabel: KIND_LABELS[request.kind],
      segment: this.reference.segmentLabel(request.segmentCode),
      department: this.reference.departmentLabel(request.departmentCode),
      network: this.reference.network(request.networkCode)?.name ?? request.networkCode,
      organisationType: ORGANISATION_TYPE_LABELS[request.organisationType as OrganisationType],
      closeReasonLabel: request.closeReason ? CLOSE_REASON_LABELS[request.closeReason] : null,
      helpItemLabels: HELP_ITEM_TYPE_LABELS,
      referralLabels: REFERRAL_TARGET_LABELS,
      answers: (e.wave === 'satisfaction' ? SATISFACTION_ANSWERS : IMPACT_ANSWERS).map((a) => {
        const value = a.value(e);
        // Several values as a list: a label may hold a comma (« Insertion, handicap »).
        return Array.isArray(value)
          ? { label: a.label, value: null, values: value.length ? value : null, isDate: a.isDate }
          : { label: a.label, value, values: null, isDate: a.isDate };
      }),
      forms: { review: forms.review ?? formModel({ note: e.reviewNote ?? '' }), share: forms.share ?? formModel() },
      refusals: forms.refused ?? {},
      // Their review not written: the page's title says something went wrong (a share already made is only told).
      refused: Boolean(forms.refused?.review),
      // The review this page shows: one made since it was opened is not written over (reviewedMeanwhile).
      reviewSeen: e.reviewedAt?.toISOString() ?? '',
    };
  }
}

/** A path and its query, without a bare « ? » when the query is empty. */
function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}
