import type { DataSource } from 'typeorm';

const PARIS_YEAR = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' });

/** References are numbered per calendar year in France. */
export function parisYear(date = new Date()): number {
  return Number(PARIS_YEAR.format(date));
}

/**
 * Each process takes numbers from the sequence by blocks of this size and hands them out from
 * memory, saving a round trip per submission. Numbers stay unique; across several api processes
 * they are not strictly in submission order, and a restart skips the rest of a block.
 */
export const REFERENCE_BLOCK = 50;

/** The per-year sequence behind GV-YYYY-NNNNNN; sequences never block concurrent submissions. */
export function referenceSequence(year: number): string {
  return `request_reference_${year}_seq`;
}

/**
 * Creates the year's sequence if missing. Two sessions creating it at once race in the catalogue
 * even with IF NOT EXISTS; the loser's error means the sequence now exists.
 */
export async function ensureReferenceSequence(dataSource: Pick<DataSource, 'query'>, year: number): Promise<void> {
  try {
    await dataSource.query(`CREATE SEQUENCE IF NOT EXISTS ${referenceSequence(year)} INCREMENT BY ${REFERENCE_BLOCK}`);
  } catch (error) {
    if (!['23505', '42P07'].includes((error as { code?: string }).code ?? '')) throw error;
  }
  // A sequence made before numbers were taken by blocks: its next value then starts a fresh block.
  await dataSource.query(`ALTER SEQUENCE ${referenceSequence(year)} INCREMENT BY ${REFERENCE_BLOCK}`);
}
