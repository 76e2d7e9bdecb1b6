import { Controller, Get, HttpStatus, Inject, OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { createRedis } from '../../queue/redis';

type Check = 'ok' | 'down';

@ApiTags('Santé')
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private readonly redis: IORedis;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
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
    const [postgres, redis] = await Promise.all([this.check(() => this.dataSource.query('SELECT 1')), this.check(() => this.redis.ping())]);
    const ok = postgres === 'ok' && redis === 'ok';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, redis } };
  }

  private async check(probe: () => Promise<unknown>): Promise<Check> {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
    return Promise.race([probe(), timeout]).then(
      () => 'ok' as const,
      () => 'down' as const,
    );
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
