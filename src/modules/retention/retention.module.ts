import { Module } from '@nestjs/common';
import { RetentionRepository } from './retention.repository';
import { RetentionSweepService } from './retention-sweep.service';
import { RetentionService } from './retention.service';

/** The worker role's erasure of personal data once their retention period is over. */
@Module({ providers: [RetentionRepository, RetentionService, RetentionSweepService], exports: [RetentionService] })
export class RetentionWorkerModule {}
