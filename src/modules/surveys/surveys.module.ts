import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { SurveyPagesController } from './survey-pages.controller';
import { SurveysSweepService } from './surveys-sweep.service';
import { SurveysProcessor } from './surveys.processor';
import { SurveysRepository } from './surveys.repository';
import { SurveysService } from './surveys.service';

/** Scheduling (used by every closing and reopening path), steps and answers. */
@Module({
  imports: [RequestsModule, MailModule],
  providers: [SurveysRepository, SurveysService, SurveysProcessor],
  exports: [SurveysService, SurveysProcessor],
})
export class SurveysModule {}

/** The api role adds the buyer's pages. */
@Module({ imports: [SurveysModule], controllers: [SurveyPagesController] })
export class SurveyPagesModule {}

/** The worker role adds the sweep. */
@Module({ imports: [SurveysModule], providers: [SurveysSweepService], exports: [SurveysSweepService, SurveysModule] })
export class SurveysWorkerModule {}
