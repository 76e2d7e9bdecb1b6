import { requestInSubject } from '../../common/french-format';

/**
 * The subject of the e-mail giving a request to a facilitator. One who held it before (an assignment of theirs ended)
 * reads that it comes back: « Nouvelle demande » beside their earlier « elle vous est retirée » reads as another one.
 */
export function assignmentSubject(request: { reference: string; subject: string }, heldBefore: boolean): string {
  const named = requestInSubject(request.reference, request.subject);
  return heldBefore ? `Demande ${named} : elle vous est confiée à nouveau` : `Nouvelle demande ${named}`;
}
