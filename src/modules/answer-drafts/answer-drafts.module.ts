import { Module } from '@nestjs/common';
import { AnswerDraftsRepository } from './answer-drafts.repository';
import { LeftDraftsService } from './left-drafts.service';

/**
 * Answers being written, kept between visits: the workspace's answer form saves and restores them, « Mes brouillons
 * laissés » keeps those of requests taken from their writers. It imports nothing: accounts ask it for their navigation.
 */
@Module({
  providers: [AnswerDraftsRepository, LeftDraftsService],
  exports: [AnswerDraftsRepository, LeftDraftsService],
})
export class AnswerDraftsModule {}
