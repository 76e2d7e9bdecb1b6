import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { LOGGER } from '../common/logging/logging.module';

/**
 * A connection PostgreSQL ends (an administrator's pg_terminate_backend, a restart) may emit « error » when no one
 * listens: after TypeORM released it with that error, or between two owners. Node then stops the process — the api
 * or the workers' thread, for a connection the pool was already replacing. Every pooled client gets a listener of
 * its own for its whole life; the owners' listeners (TypeORM's, the pool's) still do the releasing.
 */
@Injectable()
export class PoolClientErrors implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool & { _clients?: PoolClient[] };
    const listen = (client: PoolClient) =>
      client.on('error', (error: Error & { code?: string }) =>
        this.logger.warn({ code: error.code, err: error.message }, 'connexion PostgreSQL perdue, remplacée par le pool'),
      );
    pool.on('connect', listen);
    // The connections opened while TypeORM initialised, before this listener: pg-pool keeps them in `_clients`.
    for (const client of pool._clients ?? []) listen(client);
  }
}
