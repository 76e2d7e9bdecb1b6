import { Injectable } from '@nestjs/common';
import { ActionRefused, NotFound } from '../../common/errors/app-errors';
import { typedText } from '../../common/validation';
import { isHolder } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { seenStateOf } from '../requests/seen-state.policy';
import { NOTE_NO_LONGER_YOURS } from './no-longer-yours';
import { StaffRequestsRepository } from './staff-requests.repository';

/**
 * How the page's form was meant: a holder's move (take charge, decline, a question, an answer), or a note, which
 * anyone who sees the request may add.
 */
export type PageFormKind = 'holder' | 'note';

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
      if (!request || !isHolder(staff, request)) await this.refuse(staff, reference, seen, kind, null);
      return work();
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof NotFound) await this.refuse(staff, reference, seen, kind, body.body);
      throw error;
    }
  }

  private async refuse(
    staff: StaffPrincipal,
    reference: string,
    seen: ReturnType<typeof seenStateOf>,
    kind: PageFormKind,
    typed: unknown,
  ): Promise<void> {
    await this.visibility.refuseIfSeenThenChanged(staff, reference, seen);
    // A holder's move: the workspace's own refusal follows (« ne vous est plus confiée », or 404 to anyone else).
    if (staff.role !== 'facilitator' || staff.facilitatorId === null || kind === 'holder') return;
    if (typedText(typed) && (await this.visibility.heldBefore(staff.facilitatorId, reference))) {
      throw new ActionRefused(NOTE_NO_LONGER_YOURS);
    }
  }
}
