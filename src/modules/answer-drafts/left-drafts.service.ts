import { Injectable } from '@nestjs/common';
import { NotFound } from '../../common/errors/app-errors';
import { canSeeRequest } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import type { DraftItem } from './answer-draft.policy';
import { AnswerDraftsRepository } from './answer-drafts.repository';

/** A draft left on a request taken from its author: what they wrote, and the little they already knew of the request. */
export interface LeftDraftView {
  reference: string;
  subject: string;
  /** The request's département: the time it was saved reads on its clock, as on the request's page. */
  departmentCode: string;
  body: string;
  items: DraftItem[];
  savedAt: Date;
  /** Still seen by its author (back in their network's pool): its page is a link away. */
  stillSeen: boolean;
}

/**
 * « Mes brouillons laissés »: a facilitator's drafts on requests taken from them (transferred, reassigned, given back),
 * theirs to read and copy even when the request has gone where they no longer see it, and to delete.
 */
@Injectable()
export class LeftDraftsService {
  constructor(private readonly drafts: AnswerDraftsRepository) {}

  async list(staff: StaffPrincipal): Promise<LeftDraftView[]> {
    const left = await this.drafts.leftBy(staff.id);
    return left.map(({ networkCode, assignedFacilitatorId, status, ...draft }) => ({
      ...draft,
      stillSeen: canSeeRequest(staff, { networkCode, assignedFacilitatorId, status }),
    }));
  }

  /**
   * Only its author's, and only once left: anyone else's (or one still being written) does not exist here. From the
   * list's form (`fromList`: it was theirs when the page was shown) one no longer there was deleted already — from
   * another tab, or with the request's closure: said so, as nothing of anyone else's is told by it.
   */
  async discard(staff: StaffPrincipal, reference: string, fromList = false): Promise<'deleted' | 'already_deleted'> {
    if (await this.drafts.deleteLeft(staff.id, reference)) return 'deleted';
    if (fromList && !(await this.drafts.anyOn(staff.id, reference))) return 'already_deleted';
    throw new NotFound();
  }
}
