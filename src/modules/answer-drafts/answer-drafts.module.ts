import { Module } from '@nestjs/common';
import { AnswerDraftsRepository } from './answer-drafts.repository';

/** Answers being written, kept between visits: the workspace's answer form saves and restores them. */
@Module({
  providers: [AnswerDraftsRepository],
  exports: [AnswerDraftsRepository],
})
export class AnswerDraftsModule {}
