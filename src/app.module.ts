import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { AppConfig } from './config/app-config';
import { Clock } from './common/clock';
import { RoutingModule, RoutingWorkerModule } from './modules/routing/routing.module';
import { RoutingProcessor } from './modules/routing/routing.processor';
import { LoggingModule } from './common/logging/logging.module';
import { PoolClientErrors } from './database/pool-client-errors';
import { dataSourceOptions } from './database/data-source-options';
import { GroupCommit } from './database/group-commit';
import { AttachmentsModule } from './modules/attachments/attachments.module';
import { AccountsModule } from './modules/accounts/accounts.module';
import { AccountsRepository } from './modules/accounts/accounts.repository';
import { DispatchModule } from './modules/dispatch/dispatch.module';
import { EvaluationsModule } from './modules/reporting/evaluations.module';
import { DirectoryModule, DirectoryWorkerModule } from './modules/directory/directory.module';
import { HealthModule } from './modules/health/health.module';
import { IdempotencyRepository } from './modules/intake/idempotency.repository';
import { IntakeModule } from './modules/intake/intake.module';
import { MailModule } from './modules/mail/mail.module';
import { MailProcessor } from './modules/mail/mail.processor';
import { MetricsModule } from './modules/metrics/metrics.module';
import { ReferenceModule } from './modules/reference/reference.module';
import { IndicatorsModule } from './modules/reporting/indicators.module';
import { RequestsModule } from './modules/requests/requests.module';
import { RetentionWorkerModule } from './modules/retention/retention.module';
import { WorkspaceModule } from './modules/workspace/workspace.module';
import { AnswerTemplatesModule } from './modules/answer-templates/answer-templates.module';
import { NetworksModule } from './modules/networks/networks.module';
import { AuditPagesModule } from './modules/audit/audit-pages.module';
import { TrackingModule } from './modules/requests/tracking.module';
import { AutoCloseProcessor } from './modules/auto-close/auto-close.processor';
import { AutoCloseModule, AutoCloseWorkerModule } from './modules/auto-close/auto-close.module';
import { BuyerNotificationsProcessor } from './modules/buyer-notifications/buyer-notifications.processor';
import { SurveyPagesModule, SurveysWorkerModule } from './modules/surveys/surveys.module';
import { SurveysProcessor } from './modules/surveys/surveys.processor';
import { OutboxRelay } from './queue/outbox.relay';
import { QueueModule } from './queue/queue.module';
import { Sweeps } from './queue/sweeps';
import { StaffActionKeysRepository } from './modules/accounts/staff-action-keys.repository';
import { HTTP_NEIGHBOUR, HttpFirst, HttpNeighbour } from './queue/http-first';
import { JOB_PROCESSORS, WorkerHost } from './queue/worker-host';
import { isWorkersThread, WorkersThread } from './queue/workers-thread';

export interface Roles {
  api: boolean;
  /** The queue workers: in this application, in a thread of their own beside the api (`npm start`), or elsewhere. */
  worker: boolean | 'thread';
}

function httpNeighbour(roles: Roles): HttpNeighbour {
  if (roles.api) return 'same-thread';
  return isWorkersThread() ? 'main-thread' : 'none';
}

/** The queue side: outbox relay, sweeps and one BullMQ worker per consumed queue. */
@Module({
  imports: [MailModule, RoutingWorkerModule, AutoCloseWorkerModule, SurveysWorkerModule, RetentionWorkerModule, DirectoryWorkerModule],
  providers: [
    // Only for the sweep's purges of old keys, sessions and links: the worker needs none of their HTTP side.
    IdempotencyRepository,
    StaffActionKeysRepository,
    AccountsRepository,
    HttpFirst,
    OutboxRelay,
    Sweeps,
    WorkerHost,
    {
      provide: JOB_PROCESSORS,
      useFactory: (
        mail: MailProcessor,
        routing: RoutingProcessor,
        buyer: BuyerNotificationsProcessor,
        autoClose: AutoCloseProcessor,
        surveys: SurveysProcessor,
      ) => [mail, routing, buyer, autoClose, surveys],
      inject: [MailProcessor, RoutingProcessor, BuyerNotificationsProcessor, AutoCloseProcessor, SurveysProcessor],
    },
  ],
})
class WorkerRoleModule {}

@Module({
  imports: [
    HealthModule,
    RequestsModule,
    TrackingModule,
    IntakeModule,
    AccountsModule,
    DirectoryModule,
    RoutingModule,
    AutoCloseModule,
    MetricsModule,
    AttachmentsModule,
    WorkspaceModule,
    AnswerTemplatesModule,
    NetworksModule,
    AuditPagesModule,
    DispatchModule,
    SurveyPagesModule,
    EvaluationsModule,
    IndicatorsModule,
  ],
})
class ApiRoleModule {}

/** One codebase, one module tree; the entry point picks the roles this process plays. */
@Module({})
export class AppModule {
  static forRoles(roles: Roles, config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggingModule.forRoot(logger),
        TypeOrmModule.forRoot(dataSourceOptions(config)),
        ReferenceModule,
        QueueModule,
        ...(roles.api ? [ApiRoleModule] : []),
        ...(roles.worker === true ? [WorkerRoleModule] : []),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        Clock,
        GroupCommit,
        PoolClientErrors,
        { provide: HTTP_NEIGHBOUR, useValue: httpNeighbour(roles) },
        ...(roles.worker === 'thread' ? [WorkersThread] : []),
      ],
      exports: [AppConfig, Clock, GroupCommit, HTTP_NEIGHBOUR],
    };
  }
}
