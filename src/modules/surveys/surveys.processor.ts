import { Injectable } from '@nestjs/common';
import { JobHandlers } from '../../queue/queue.registry';
import { JobProcessor } from '../../queue/worker-host';
import { SurveysService } from './surveys.service';

@Injectable()
export class SurveysProcessor implements JobProcessor {
  constructor(private readonly surveys: SurveysService) {}

  handlers(): JobHandlers {
    return { 'survey.due': async ({ surveyId }) => void (await this.surveys.step(surveyId)) };
  }
}
