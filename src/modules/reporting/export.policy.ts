/** The requests export's filters (pure); the evaluations export reads the evaluation list's own. */
import type { FieldError } from '../../common/errors/app-errors';
import { REQUEST_STATUSES, RequestStatus } from '../requests/request.types';
import { FilterReader, RequestFilters } from './evaluations.policy';

/** The period is the requests' creation; `search`, the queue's search box (`q`). */
export interface RequestExportFilters extends RequestFilters {
  status: RequestStatus | null;
  search: string | null;
}

export function parseRequestExportFilters(query: Record<string, unknown>): { filters: RequestExportFilters; errors: FieldError[] } {
  const read = new FilterReader(query);
  const filters: RequestExportFilters = {
    ...read.requestFilters(),
    status: read.oneOf('status', REQUEST_STATUSES, 'Statut'),
    search: read.search('q'),
  };
  return { filters, errors: read.errors };
}
