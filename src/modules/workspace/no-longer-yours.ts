import { ActionRefused, AppError, NotFound } from '../../common/errors/app-errors';
import { isHolder, RequestScope } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';

/** A holder's action on a request taken from them meanwhile (given to a colleague, put back in the pool). */
export const NO_LONGER_YOURS =
  'Cette demande ne vous est plus confiée (remise en attribution ou confiée à quelqu’un d’autre entre-temps) : rien n’a été enregistré.';

/** A former holder opening the request (an old e-mail's link), its latest change when it took the request from them. */
export function noLongerYoursNotice(lastChange: string | null): string {
  const message = 'Cette demande ne vous est plus confiée.';
  return lastChange ? `${message} ${lastChange}` : message;
}

/** A note typed on a request its former holder no longer sees: as much as the holder's actions say of it, no more. */
export const NOTE_NO_LONGER_YOURS =
  'Cette demande ne vous est plus confiée (transférée, remise en attribution ou confiée à quelqu’un d’autre pendant que vous écriviez) : votre note n’a pas été enregistrée.';

/**
 * One whose action, allowed when sent, waited on the lock while the request left their hands: told as without the lock —
 * its holder then (`before`, as read before the lock), that it is no longer theirs; anyone else, nothing.
 */
export function goneWhileWaiting(staff: StaffPrincipal, before: RequestScope): () => AppError {
  return () => (isHolder(staff, before) ? new ActionRefused(NO_LONGER_YOURS) : new NotFound());
}
