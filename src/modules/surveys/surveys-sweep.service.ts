import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../common/logging/logging.module';
import { IntervalSweep } from '../../queue/interval-sweep';
import { SurveysService } from './surveys.service';

const SWEEP_INTERVAL_MS = 60_000;
const BATCH = 500;

/**
 * Re-derives the surveys' steps from PostgreSQL (sending, reminder, expiry), so a lost Redis or a timer longer
 * than the delayed jobs' cap loses no survey. Safe on several workers: each step locks the survey and re-checks.
 */
@Injectable()
export class SurveysSweepService extends IntervalSweep {
  constructor(
    private readonly surveys: SurveysService,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(SWEEP_INTERVAL_MS, logger, 'balayage des questionnaires interrompu, repris au prochain passage');
  }

  protected async sweep(): Promise<void> {
    await this.surveys.runDue(BATCH);
  }
}
