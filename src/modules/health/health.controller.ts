import { Controller, Get, HttpStatus, Inject, OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { createRedis } from '../../queue/redis';

type Check = 'ok' | 'down';
type Dependency = 'postgres' | 'redis';

@ApiTags('Santé')
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private readonly redis: IORedis;
  /** The last state said in the logs, so that a probe every few seconds logs a change, not each failure. */
  private readonly lastSaid: Record<Dependency, Check> = { postgres: 'ok', redis: 'ok' };

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.redis = createRedis(config.REDIS_URL, 'producer');
  }

  @Get('live')
  @ApiOperation({ summary: 'Le processus répond' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'PostgreSQL et Redis répondent (503 sinon)' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const [postgres, redis] = await Promise.all([
      this.check('postgres', () => this.dataSource.query('SELECT 1')),
      this.check('redis', () => this.redis.ping()),
    ]);
    const ok = postgres === 'ok' && redis === 'ok';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, redis } };
  }

  /** The answer stays « down » for anyone; why goes to the operator's log, once per change. */
  private async check(dependency: Dependency, probe: () => Promise<unknown>): Promise<Check> {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('pas de réponse en 2 s')), 2000).unref());
    const state = await Promise.race([probe(), timeout]).then(
      () => ({ check: 'ok' as const }),
      (error: Error) => ({ check: 'down' as const, reason: error.message }),
    );
    if (state.check !== this.lastSaid[dependency]) {
      this.lastSaid[dependency] = state.check;
      if (state.check === 'down') this.logger.warn({ dependency, reason: state.reason }, 'disponibilité : dépendance hors service');
      else this.logger.info({ dependency }, 'disponibilité : dépendance rétablie');
    }
    return state.check;
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
