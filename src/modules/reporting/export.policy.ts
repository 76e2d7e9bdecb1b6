/** The requests export's filters (pure); the evaluations export reads the evaluation list's own. */
import type { FieldError } from '../../common/errors/app-errors';
import { REQUEST_KINDS, REQUEST_STATUSES, RequestKind, RequestStatus } from '../requests/request.types';
import { FilterReader } from './evaluations.policy';

export interface RequestExportFilters {
  /** Created on or after this day (YYYY-MM-DD, Paris time). */
  from: string | null;
  to: string | null;
  network: string | null;
  kind: RequestKind | null;
  segment: string | null;
  department: string | null;
  status: RequestStatus | null;
}

export function parseRequestExportFilters(query: Record<string, unknown>): { filters: RequestExportFilters; errors: FieldError[] } {
  const read = new FilterReader(query);
  const filters: RequestExportFilters = {
    ...read.period(),
    network: read.code('reseau', 'Réseau'),
    kind: read.oneOf('kind', REQUEST_KINDS, 'Type'),
    segment: read.code('segment', 'Segment d’achat'),
    department: read.code('department', 'Département'),
    status: read.oneOf('status', REQUEST_STATUSES, 'Statut'),
  };
  return { filters, errors: read.errors };
}
