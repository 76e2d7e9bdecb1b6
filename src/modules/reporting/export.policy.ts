/**
 * The exports' filters (pure): the requests' own, the evaluation list's for its export. A parameter no filter reads is
 * refused, as the API's lists refuse it, and so is a segment, département or network `known` does not hold (the
 * reference data, networks within the person's): a mistyped filter would otherwise give an empty file.
 */
import type { FieldError } from '../../common/errors/app-errors';
import type { KnownCodes } from '../../common/query-parameters';
import { REQUEST_STATUSES, RequestStatus } from '../requests/request.types';
import { QUEUE_TABS, QueueTab } from '../workspace/workspace-queue.policy';
import { CSV_SEPARATOR_PARAMETER } from './csv-format.policy';
import { EvaluationFilters, FilterReader, readEvaluationFilters, RequestFilters } from './evaluations.policy';

/** The period is the requests' creation; `search` (`q`) and `facilitator`, the queue's. */
export interface RequestExportFilters extends RequestFilters {
  status: RequestStatus | null;
  search: string | null;
  /** The facilitator holding the requests (the queue's filter). */
  facilitator: string | null;
  /** Only those whose current deadline has passed (the queue's « En retard seulement »). */
  lateOnly: boolean;
  /** Only those whose take-charge deadline passed again and again, still not taken (the queue's, escalation.policy). */
  escalatedOnly: boolean;
  /** Only those not closed, as the queue lists them by default. */
  openOnly: boolean;
  /** The queue's tab the export was asked from (its requests alone); null: both tabs. */
  tab: QueueTab | null;
}

export function parseRequestExportFilters(
  query: Record<string, unknown>,
  known: KnownCodes,
): { filters: RequestExportFilters; errors: FieldError[] } {
  const read = new FilterReader(query, known);
  const filters: RequestExportFilters = {
    ...read.requestFilters(),
    status: read.oneOf('status', REQUEST_STATUSES, 'Statut'),
    search: read.search('q'),
    facilitator: read.uuid('facilitator', 'Facilitateur'),
    lateOnly: read.oneOf('late', ['1', '0'] as const, 'En retard seulement') === '1',
    escalatedOnly: read.oneOf('escalated', ['1', '0'] as const, 'Délai de prise en charge dépassé plusieurs fois') === '1',
    openOnly: read.oneOf('ouvertes', ['1', '0'] as const, 'Demandes ouvertes seulement') === '1',
    tab: read.oneOf('tab', QUEUE_TABS, 'Onglet'),
  };
  return { filters, errors: [...read.errors, ...read.unreadParameters(CSV_SEPARATOR_PARAMETER)] };
}

export function parseEvaluationExportFilters(
  query: Record<string, unknown>,
  known: KnownCodes,
): { filters: EvaluationFilters; errors: FieldError[] } {
  const read = new FilterReader(query, known);
  const filters = readEvaluationFilters(read);
  return { filters, errors: [...read.errors, ...read.unreadParameters(CSV_SEPARATOR_PARAMETER)] };
}
