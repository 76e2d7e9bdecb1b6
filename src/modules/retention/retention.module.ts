import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { RequestsModule } from '../requests/requests.module';
import { RetentionRepository } from './retention.repository';
import { RetentionSweepService } from './retention-sweep.service';
import { RetentionService } from './retention.service';

/** Erasing a request's personal data: on a buyer's request (api, through the workspace) or once its retention period is over. */
@Module({ imports: [RequestsModule], providers: [RetentionRepository, RetentionService], exports: [RetentionService] })
export class RetentionModule {}

/** The worker role adds the sweep. */
@Module({ imports: [RetentionModule, AuditModule], providers: [RetentionSweepService], exports: [RetentionModule] })
export class RetentionWorkerModule {}
