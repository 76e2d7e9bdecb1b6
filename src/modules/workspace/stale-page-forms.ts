import { Injectable } from '@nestjs/common';
import { ActionRefused, NotFound } from '../../common/errors/app-errors';
import { typedText } from '../../common/validation';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { seenStateOf } from '../requests/seen-state.policy';
import { NOTE_NO_LONGER_YOURS } from './no-longer-yours';
import { StaffRequestsRepository } from './staff-requests.repository';

/**
 * The request page's note sent by one who may no longer see the request (it went elsewhere while the page was open):
 * told what changed and who did it from the state the form read (`seenState`), as far as the rule lets them know it
 * (StaffRequestsRepository.refuseIfSeenThenChanged) — a holder's moves are told so by their services, which take the
 * state too. What the person typed then comes back with the refusal rather than with a « Page introuvable ».
 */
@Injectable()
export class StalePageForms {
  constructor(private readonly visibility: StaffRequestsRepository) {}

  /**
   * Runs `work` (the workspace's note, which anyone who sees the request may add); refused as above only once the
   * workspace found the request out of their sight (404).
   */
  async note<T>(staff: StaffPrincipal, reference: string, body: Record<string, unknown>, work: () => Promise<T>) {
    const seen = seenStateOf(body.seenState);
    try {
      return await work();
    } catch (error) {
      if (error instanceof NotFound) await this.refuse(staff, reference, seen, body.body);
      throw error;
    }
  }

  private async refuse(staff: StaffPrincipal, reference: string, seen: ReturnType<typeof seenStateOf>, typed: unknown): Promise<void> {
    await this.visibility.refuseIfSeenThenChanged(staff, reference, seen);
    if (staff.role !== 'facilitator' || staff.facilitatorId === null) return;
    if (typedText(typed) && (await this.visibility.heldBefore(staff.facilitatorId, reference))) {
      throw new ActionRefused(NOTE_NO_LONGER_YOURS);
    }
  }
}
