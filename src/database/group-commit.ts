import { Injectable } from '@nestjs/common';
import { DatabaseError } from 'pg';
import { DataSource } from 'typeorm';
import { runAsOne, SqlStatement } from './sql-statement';

/** Statement lists in flight at once; the lists that arrive meanwhile wait and leave together. */
const MAX_IN_FLIGHT = 2;
/** Lists joined into one statement at most: a burst larger than this leaves in several. */
const MAX_LISTS_PER_BATCH = 16;

interface Waiting {
  statements: SqlStatement[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for independent writes, such as submissions arriving side by side: each caller's
 * statements stay all or nothing, but concurrent callers share one round trip and one commit.
 * Alone, a list leaves at once; under load, lists gather while earlier batches are in flight, so
 * PostgreSQL parses, commits and flushes its log once per batch instead of once per list.
 */
@Injectable()
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly dataSource: DataSource) {}

  run(statements: SqlStatement[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ statements, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length) {
      const batch = this.waiting.splice(0, MAX_LISTS_PER_BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.dispatch();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await runAsOne(
        this.dataSource,
        batch.flatMap((list) => list.statements),
      );
      for (const list of batch) list.resolve();
    } catch (error) {
      // PostgreSQL refused the statement, so nothing of it was written: each list is tried alone,
      // and only the faulty one fails. Any other error (connection lost) may hide a commit: no retry.
      if (batch.length === 1 || !isStatementError(error)) {
        for (const list of batch) list.reject(error);
        return;
      }
      await Promise.all(
        batch.map((list) =>
          runAsOne(this.dataSource, list.statements).then(
            () => list.resolve(),
            (alone: unknown) => list.reject(alone),
          ),
        ),
      );
    }
  }
}

/** An error PostgreSQL reported about the statement itself, not a lost connection nor a server going down. */
function isStatementError(error: unknown): boolean {
  return error instanceof DatabaseError && !!error.code && !error.code.startsWith('08') && !error.code.startsWith('57');
}
