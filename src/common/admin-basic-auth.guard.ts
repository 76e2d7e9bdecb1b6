import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { AppError } from './errors/app-errors';
import { sha256 } from './tokens';

/**
 * Admin access until staff accounts exist: HTTP basic auth against ADMIN_USER / ADMIN_PASSWORD.
 * With either unset, admin endpoints answer 404 as if they did not exist.
 */
function isAdminRequest(config: AppConfig, authorization: string | undefined): boolean {
  if (!config.ADMIN_USER || !config.ADMIN_PASSWORD || !authorization?.startsWith('Basic ')) return false;
  const [user, ...rest] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
  // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
  const same = (a: string, b: string) => timingSafeEqual(sha256(a), sha256(b));
  return same(user, config.ADMIN_USER) && same(rest.join(':'), config.ADMIN_PASSWORD);
}

@Injectable()
export class AdminBasicAuthGuard implements CanActivate {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return checkAdmin(this.config, req, res);
  }
}

/** The same check for plain Express mounts (the queue dashboard). */
export function adminBasicAuthMiddleware(config: AppConfig) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      if (checkAdmin(config, req, res)) next();
    } catch (error) {
      next(error);
    }
  };
}

function checkAdmin(config: AppConfig, req: Request, res: Response): boolean {
  if (!config.ADMIN_USER || !config.ADMIN_PASSWORD) throw new AppError('not_found', 'Page ou demande introuvable.');
  if (isAdminRequest(config, req.header('authorization'))) return true;
  // Header values are Latin-1: a typographic dash here made Node throw, turning every 401 into a 500.
  res.setHeader('WWW-Authenticate', 'Basic realm="Guichet vert - administration", charset="UTF-8"');
  throw new AppError('unauthorized', 'Identifiez-vous comme administrateur.');
}
