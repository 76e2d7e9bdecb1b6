import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../common/logging/logging.module';
import { IntervalSweep } from '../../queue/interval-sweep';
import { AbsenceAnnouncementsService } from './absence-announcements.service';

/** Absences count in days: announcing within the hour a window opens is soon enough, at the cost of an index probe. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** Announces the absences declared ahead once they come close (AbsenceAnnouncementsService). Safe on several workers. */
@Injectable()
export class AbsenceSweepService extends IntervalSweep {
  constructor(
    private readonly announcements: AbsenceAnnouncementsService,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(SWEEP_INTERVAL_MS, logger, 'annonce des absences interrompue, reprise au prochain passage');
  }

  protected async sweep(): Promise<void> {
    await this.announcements.announceComing();
  }
}
