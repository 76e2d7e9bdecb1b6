import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type IORedis from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-errors';
import { LOGGER } from '../../common/logging/logging.module';
import { hmac } from '../../common/tokens';
import { createRedis } from '../../queue/redis';

const WINDOW_SECONDS = 3600;
/** Count and window in one command: the window starts at the first submission and lasts an hour. */
const COUNT_IN_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('TTL', KEYS[1]) }`;
/** Gives a counted submission back, never below zero (the window may have ended in between). */
const GIVE_BACK = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;
/** Keys of recent addresses, kept in this process's memory only: an HMAC per submission took 3 % of the api's time at full intake. */
const MAX_REMEMBERED_KEYS = 10_000;

/**
 * Submissions per client address per hour, counted in Redis so every api instance shares the
 * count. Addresses are stored as HMACs. If Redis is down, submissions are let through: losing
 * the limiter for a while is better than refusing buyers.
 */
@Injectable()
export class IntakeRateLimiter implements OnApplicationShutdown {
  private readonly keys = new Map<string, string>();
  private readonly redis: IORedis & {
    countInWindow(key: string, windowSeconds: number): Promise<[number, number]>;
    giveBack(key: string): Promise<number>;
  };

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Submissions arriving together share one write to Redis (one system call instead of one each).
    const redis = createRedis(config.REDIS_URL, 'producer', { enableAutoPipelining: true });
    // Sent by its digest (EVALSHA), the script's text only once.
    redis.defineCommand('countInWindow', { numberOfKeys: 1, lua: COUNT_IN_WINDOW });
    redis.defineCommand('giveBack', { numberOfKeys: 1, lua: GIVE_BACK });
    this.redis = redis as typeof this.redis;
  }

  async consume(clientAddress: string): Promise<void> {
    const key = this.keyOf(clientAddress);
    let count: number;
    let ttl: number;
    try {
      [count, ttl] = await this.redis.countInWindow(key, WINDOW_SECONDS);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'limitation de débit indisponible, demande acceptée');
      return;
    }
    if (count > this.config.INTAKE_RATE_LIMIT) {
      throw new AppError(
        'rate_limited',
        `Plus de ${this.config.INTAKE_RATE_LIMIT} demandes ont été envoyées en une heure depuis votre adresse IP (celle de votre connexion, parfois partagée par toute une administration). Réessayez ${inMinutes(ttl)}.`,
        [],
        { retryAfterSeconds: Math.max(ttl, 1) },
      );
    }
  }

  /**
   * Undoes a `consume` whose submission created no request (refused body, replay, conflict): the API counts while it
   * checks the body, but only new requests use up the hour's allowance, as on the form.
   */
  async giveBack(clientAddress: string): Promise<void> {
    try {
      await this.redis.giveBack(this.keyOf(clientAddress));
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'limitation de débit indisponible, envoi non décompté');
    }
  }

  private keyOf(clientAddress: string): string {
    let key = this.keys.get(clientAddress);
    if (!key) {
      key = `${this.config.QUEUE_PREFIX}:intake-rate:${hmac(this.config.APP_SECRET, clientAddress).toString('base64url')}`;
      if (this.keys.size >= MAX_REMEMBERED_KEYS) this.keys.clear();
      this.keys.set(clientAddress, key);
    }
    return key;
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/** « dans 12 minutes », from the seconds left in the window. */
function inMinutes(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `dans ${minutes} minute${minutes > 1 ? 's' : ''}`;
}
