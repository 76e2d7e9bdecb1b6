import type { DataSource, EntityManager } from 'typeorm';

/** PostgreSQL's SQLSTATE for a transaction chosen as a deadlock's victim. */
const DEADLOCK_DETECTED = '40P01';
const ATTEMPTS = 3;

/**
 * A transaction run again from the start when PostgreSQL ends it as a deadlock's victim (everything it did was rolled
 * back). Facilitator rows are locked in one ordered statement (RoutingRepository.lockPlaces), but a candidate appearing
 * between two statements (a directory edit) can still close a cycle: the person who asked gets the move done, not a
 * 500, and a routing job is not failed.
 */
export async function transactionRetryingDeadlocks<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

function isDeadlock(error: unknown): boolean {
  const failed = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return failed?.driverError?.code === DEADLOCK_DETECTED || failed?.code === DEADLOCK_DETECTED;
}
