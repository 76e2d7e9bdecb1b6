import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { AppModule } from '../app.module';
import { PinoNestLogger } from '../common/logging/logger';
import { AppConfig } from '../config/app-config';
import { AccountsModule } from '../modules/accounts/accounts.module';
import { AnswerTemplatesModule } from '../modules/answer-templates/answer-templates.module';
import { DirectoryModule } from '../modules/directory/directory.module';
import { IntakeModule } from '../modules/intake/intake.module';
import { IndicatorsModule } from '../modules/reporting/indicators.module';
import { SecretRotationModule } from '../modules/secret-rotation/secret-rotation.module';

/** Where a command writes: its results on stdout, progress and problems on stderr. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Runs against a booted context and returns the process exit code. */
export type CliCommand = (context: INestApplicationContext, args: string[], io: CliIo) => Promise<number>;

/** The application without HTTP nor queue workers, plus the modules the commands call. */
@Module({})
class CliModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppModule.forRoles({ api: false, worker: false }, config, logger),
        DirectoryModule,
        AccountsModule,
        AnswerTemplatesModule,
        IndicatorsModule,
        IntakeModule,
        SecretRotationModule,
      ],
    };
  }
}

export function createCliContext(config: AppConfig, logger: Logger): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(CliModule.forRoot(config, logger), { logger: new PinoNestLogger(logger) });
}
