/**
 * The animators' review of evaluations (pure): what the list's filters mean, how they travel in links,
 * and who may review or share an evaluation.
 */
import { AppError, FieldError } from '../../common/errors/app-errors';
import { KnownCodes, PAGE_CHECK, ParameterCheck, queryProblems, READ_ELSEWHERE, referenceChecks } from '../../common/query-parameters';
import { isCalendarDay, isoDayOf, isUuid } from '../../common/validation';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { visibleNetworks } from '../accounts/access.policy';
import { REQUEST_KINDS, RequestKind } from '../requests/request.types';
import { CONTRACT_OUTCOMES, ContractOutcome, SURVEY_WAVES, SurveyWave, USEFULNESS, Usefulness } from '../surveys/survey.types';
import { SEARCH_MAX } from '../workspace/workspace-queue.policy';

export const EVALUATIONS_PAGE_SIZE = 25;

/** The score of an evaluation: usefulness for the satisfaction wave, the contract's outcome for the impact wave. */
export const SCORES = [...USEFULNESS.map((u) => `usefulness.${u}` as const), ...CONTRACT_OUTCOMES.map((o) => `outcome.${o}` as const)];
export type Score = (typeof SCORES)[number];

/** The filters on the request itself, shared by the evaluation list and both exports. */
export interface RequestFilters {
  /** On or after this day (YYYY-MM-DD, Paris time): the request's creation, or the evaluation's answer. */
  from: string | null;
  /** On or before this day. */
  to: string | null;
  network: string | null;
  kind: RequestKind | null;
  segment: string | null;
  department: string | null;
}

export interface EvaluationFilters extends RequestFilters {
  facilitator: string | null;
  wave: SurveyWave | null;
  score: Score | null;
  reviewed: boolean | null;
}

/** The list's (page and API), which pages what the filters select; the export takes them all, and no page. */
export interface EvaluationListFilters extends EvaluationFilters {
  page: number;
}

/** The score filter as the two columns it reads. */
export function scoreColumns(score: Score | null): { usefulness: Usefulness | null; outcome: ContractOutcome | null } {
  const [column, value] = score ? score.split('.') : [null, null];
  return {
    usefulness: column === 'usefulness' ? (value as Usefulness) : null,
    outcome: column === 'outcome' ? (value as ContractOutcome) : null,
  };
}

type Query = Record<string, unknown>;

const CODE = /^[0-9A-Za-z_-]{1,40}$/;

/**
 * Reads query parameters into filters, collecting a French message for each value it cannot use. Given the reference
 * data (`known`: the exports, the evaluations page), a segment, département or network it does not hold is refused;
 * without, only a code's form is checked.
 */
export class FilterReader {
  readonly errors: FieldError[] = [];

  /** The parameters asked for so far. */
  private readonly names = new Set<string>();

  private readonly checks: Record<'segment' | 'department' | 'network', ParameterCheck> | null;

  constructor(
    private readonly query: Query,
    known?: KnownCodes,
  ) {
    this.checks = known ? referenceChecks(known) : null;
  }

  private raw(field: string): string | null {
    this.names.add(field);
    const value = this.query[field];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  }

  private refuse(field: string, message: string): null {
    this.errors.push({ field, message });
    return null;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], label: string): T | null {
    const value = this.raw(field);
    if (value === null) return null;
    return allowed.find((a) => a === value) ?? this.refuse(field, `${label} : valeur inconnue.`);
  }

  code(field: string, label: string): string | null {
    const value = this.raw(field);
    if (value === null) return null;
    return CODE.test(value) ? value : this.refuse(field, `${label} : code invalide.`);
  }

  /** A code of the reference data: one it holds when the reader knows them, else a code's form. */
  private referenceCode(field: string, label: string, check: ParameterCheck | undefined): string | null {
    if (!check) return this.code(field, label);
    const value = this.raw(field);
    if (value === null) return null;
    return check.accepts(value) ? value : this.refuse(field, check.message);
  }

  uuid(field: string, label: string): string | null {
    const value = this.raw(field);
    if (value === null) return null;
    return isUuid(value) ? value.toLowerCase() : this.refuse(field, `${label} : valeur inconnue.`);
  }

  /** `du` and `au` as calendar days, the first not after the second. */
  period(): { from: string | null; to: string | null } {
    const from = this.day('du', 'Date de début');
    const to = this.day('au', 'Date de fin');
    if (from && to && from > to) return { from: this.refuse('du', 'La date de début doit précéder la date de fin.'), to };
    return { from, to };
  }

  /** Words typed in the queue's search box, as the queue reads them. */
  search(field: string): string | null {
    const value = this.raw(field);
    if (value === null) return null;
    return value.length <= SEARCH_MAX ? value : this.refuse(field, `Recherche de ${SEARCH_MAX} caractères au plus.`);
  }

  /** du, au, reseau, kind, segment, department. */
  requestFilters(): RequestFilters {
    return {
      ...this.period(),
      network: this.referenceCode('reseau', 'Réseau', this.checks?.network),
      kind: this.oneOf('kind', REQUEST_KINDS, 'Type'),
      segment: this.referenceCode('segment', 'Segment d’achat', this.checks?.segment),
      department: this.referenceCode('department', 'Département', this.checks?.department),
    };
  }

  page(): number {
    this.names.add('page');
    const page = Number.parseInt(String(this.query.page ?? '1'), 10);
    return Number.isFinite(page) && page > 0 && page < 100_000 ? page : 1;
  }

  /**
   * Once every filter is read, a field error for each parameter none asked for (nor `readElsewhere`), or repeated: a
   * program's misspelt filter would otherwise be silently dropped (the exports, as strict as the API's lists).
   */
  unreadParameters(...readElsewhere: string[]): FieldError[] {
    return queryProblems(this.query, Object.fromEntries([...this.names, ...readElsewhere].map((name) => [name, READ_ELSEWHERE])));
  }

  private day(field: string, label: string): string | null {
    const raw = this.raw(field);
    if (raw === null) return null;
    const value = isoDayOf(raw);
    if (!isCalendarDay(value)) return this.refuse(field, `${label} : saisissez une date au format JJ/MM/AAAA (AAAA-MM-JJ dans l’API).`);
    return value;
  }
}

/** Query string (page or API) → the list's filters and page, and the errors of the values it could not read. */
export function parseEvaluationFilters(query: Query, known?: KnownCodes): { filters: EvaluationListFilters; errors: FieldError[] } {
  const read = new FilterReader(query, known);
  return { filters: { ...readEvaluationFilters(read), page: read.page() }, errors: read.errors };
}

/** The evaluation filters, their errors left in `read`; the page is the list's alone (an export refuses it, unread). */
export function readEvaluationFilters(read: FilterReader): EvaluationFilters {
  const reviewed = read.oneOf('reviewed', ['oui', 'non'] as const, 'Revue');
  return {
    ...read.requestFilters(),
    facilitator: read.uuid('facilitator', 'Facilitateur'),
    wave: read.oneOf('wave', SURVEY_WAVES, 'Questionnaire'),
    score: read.oneOf('score', SCORES, 'Appréciation'),
    reviewed: reviewed === null ? null : reviewed === 'oui',
  };
}

/**
 * The API's reading of the list's parameters (see queryProblems): unknown, repeated or not understood is a field
 * error; the page reads the same ones leniently. A value these checks accept is then read by parseEvaluationFilters.
 */
export function evaluationQueryProblems(query: Record<string, unknown>, known: KnownCodes): FieldError[] {
  const oneOf = (values: readonly string[]): ParameterCheck => ({
    accepts: (v) => values.includes(v),
    message: `Valeurs possibles : ${values.join(', ')}.`,
  });
  const { network, segment, department } = referenceChecks(known);
  return queryProblems(query, {
    // Dates are judged by parseEvaluationFilters, in the page's words.
    du: READ_ELSEWHERE,
    au: READ_ELSEWHERE,
    reseau: network,
    kind: oneOf(REQUEST_KINDS),
    segment,
    department,
    facilitator: { accepts: isUuid, message: 'Identifiant de facilitateur attendu (UUID).' },
    wave: oneOf(SURVEY_WAVES),
    score: oneOf(SCORES),
    reviewed: oneOf(['oui', 'non']),
    page: PAGE_CHECK,
  });
}

/** Filters that could not be read: a 400 with their field errors (API) or a French page. */
export function filtersRefused(errors: FieldError[]): AppError {
  return new AppError('validation_failed', `Filtres invalides : ${errors.map((e) => e.message).join(' ')}`, errors);
}

/** The filters as query parameters (page aside), for links that keep them: paging, export, back to the list. */
export function evaluationQuery(filters: EvaluationFilters, change: Partial<Record<string, string | number | null>> = {}): string {
  const all: Record<string, string | number | null> = {
    du: filters.from,
    au: filters.to,
    reseau: filters.network,
    kind: filters.kind,
    segment: filters.segment,
    department: filters.department,
    facilitator: filters.facilitator,
    wave: filters.wave,
    score: filters.score,
    reviewed: filters.reviewed === null ? null : filters.reviewed ? 'oui' : 'non',
    ...change,
  };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(all)) if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

/** What the review needs to know about an evaluation. */
export interface EvaluationScope {
  networkCode: string;
  facilitatorId: string | null;
  sharedWithFacilitatorAt: Date | null;
}

/**
 * Reviewing and sharing are the animators' job (their networks) and the admins'; a facilitator only reads
 * what was shared with them. Sharing needs someone to share with, and happens once.
 */
export function evaluationActions(staff: StaffPrincipal, evaluation: EvaluationScope): { review: boolean; share: boolean } {
  const networks = visibleNetworks(staff);
  const review = staff.role !== 'facilitator' && (networks === null || networks.includes(evaluation.networkCode));
  return { review, share: review && evaluation.facilitatorId !== null && evaluation.sharedWithFacilitatorAt === null };
}

/**
 * Whether the review changed since the person's page showed it, so that theirs would silently replace a colleague's:
 * `seen` is its date as the form carried it (ISO; empty or null: not reviewed then); undefined, an API client that
 * says nothing, is not checked.
 */
export function reviewedMeanwhile(seen: unknown, current: Date | null): boolean {
  if (seen === undefined) return false;
  const shown = seen === null || seen === '' ? null : typeof seen === 'string' ? Date.parse(seen) : NaN;
  return shown !== (current?.getTime() ?? null);
}

/**
 * Whether `seen` can be a review date as a page or the API gives it (ISO timestamp; empty or null: not reviewed; left
 * out: not checked): anything else, a number or a bare day, would read as « reviewed meanwhile » though no one did.
 */
export function reviewSeenReadable(seen: unknown): boolean {
  if (seen === undefined || seen === null || seen === '') return true;
  return (
    typeof seen === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(seen) &&
    !Number.isNaN(Date.parse(seen))
  );
}
