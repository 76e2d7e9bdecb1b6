import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { NotFound } from '../../common/errors/app-errors';
import { sha256, tokenMatches } from '../../common/tokens';
import { AppConfig } from '../../config/app-config';

/** With METRICS_TOKEN set, only its bearer reads /metrics; anyone else is told there is nothing here. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly tokenHash?: Buffer;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.tokenHash = config.METRICS_TOKEN ? sha256(config.METRICS_TOKEN) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.tokenHash) return true;
    const presented = /^Bearer (.+)$/i.exec(context.switchToHttp().getRequest<Request>().header('authorization') ?? '')?.[1];
    if (presented && tokenMatches(presented, this.tokenHash)) return true;
    throw new NotFound();
  }
}
