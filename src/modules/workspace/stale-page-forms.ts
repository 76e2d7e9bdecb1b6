import { Injectable } from '@nestjs/common';
import { ActionRefused, NotFound } from '../../common/errors/app-errors';
import { typedText } from '../../common/validation';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { seenStateOf } from '../requests/seen-state.policy';
import { StaffRequestsRepository } from './staff-requests.repository';

/**
 * How the page's form was meant: a holder's one-click move (take charge, decline: nothing written), a holder's
 * written one (a question, an answer, a give-back's note), or a note, which anyone who sees the request may add.
 */
export type PageFormKind = 'one_click' | 'written' | 'note';

/** A holder's one-click move on a request taken from them: nothing was being written. */
const NO_LONGER_YOURS_ONE_CLICK =
  'Cette demande ne vous est plus confiée (remise en attribution ou confiée à quelqu’un d’autre entre-temps) : rien n’a été enregistré.';
/** A note typed on a request its former holder no longer sees: as much as the holder's actions say of it, no more. */
const NOTE_NO_LONGER_YOURS =
  'Cette demande ne vous est plus confiée (transférée, remise en attribution ou confiée à quelqu’un d’autre pendant que vous écriviez) : votre note n’a pas été enregistrée.';

/**
 * The request page's forms sent by one who may no longer use them (the request went elsewhere while the page was
 * open): told what changed and who did it from the state the form read (`seenState`), as far as the rule lets them
 * know it (StaffRequestsRepository.refuseIfSeenThenChanged) — the close and transfer forms are told so by their services.
 * What the person typed then comes back with the refusal rather than with a « Page introuvable ».
 */
@Injectable()
export class StalePageForms {
  constructor(private readonly visibility: StaffRequestsRepository) {}

  /**
   * Runs `work` (the workspace's action): refused first when the person no longer holds the request; a note (anyone
   * who sees the request may add one), only once the workspace found the request out of their sight (404).
   */
  async checked<T>(staff: StaffPrincipal, reference: string, body: Record<string, unknown>, kind: PageFormKind, work: () => Promise<T>) {
    const seen = seenStateOf(body.seenState);
    if (kind !== 'note') {
      const request = await this.visibility.findVisible(staff, reference);
      const holds = request !== null && staff.facilitatorId !== null && staff.facilitatorId === request.assignedFacilitatorId;
      if (!holds) await this.refuse(staff, reference, seen, kind, request !== null, null);
      return work();
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof NotFound) await this.refuse(staff, reference, seen, kind, false, body.body);
      throw error;
    }
  }

  private async refuse(
    staff: StaffPrincipal,
    reference: string,
    seen: ReturnType<typeof seenStateOf>,
    kind: PageFormKind,
    stillSeen: boolean,
    typed: unknown,
  ): Promise<void> {
    await this.visibility.refuseIfSeenThenChanged(staff, reference, seen);
    if (staff.role !== 'facilitator' || staff.facilitatorId === null || kind === 'written') return;
    // Written moves: the workspace's own refusal follows, which says « pendant que vous écriviez ».
    if (kind === 'one_click' && (stillSeen || (await this.visibility.heldBefore(staff.facilitatorId, reference)))) {
      throw new ActionRefused(NO_LONGER_YOURS_ONE_CLICK);
    }
    if (kind === 'note' && typedText(typed) && (await this.visibility.heldBefore(staff.facilitatorId, reference))) {
      throw new ActionRefused(NOTE_NO_LONGER_YOURS);
    }
  }
}
