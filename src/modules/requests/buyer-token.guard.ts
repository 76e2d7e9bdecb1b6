import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { TrackingService } from './tracking.service';

/**
 * The buyer API's actions check the link's token before reading their body: a wrong token answers 404 whatever the
 * body holds (an unknown field or a text body would otherwise answer 400 or 415 first).
 */
@Injectable()
export class BuyerTokenGuard implements CanActivate {
  constructor(private readonly tracking: TrackingService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await this.tracking.authorise(req.params.reference, req.headers['x-tracking-token']);
    return true;
  }
}

/**
 * The tracking page's message forms, which take files: the link's token (in the form's address, or a field of a
 * form without files) is checked before the upload is read, so no one without it has megabytes held in memory.
 */
@Injectable()
export class BuyerFormTokenGuard implements CanActivate {
  constructor(private readonly tracking: TrackingService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const body = req.body as Record<string, unknown> | undefined;
    await this.tracking.authorise(req.params.reference, req.query.t ?? body?.t);
    return true;
  }
}
