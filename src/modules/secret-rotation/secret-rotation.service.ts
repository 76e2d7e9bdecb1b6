import { Inject, Injectable } from '@nestjs/common';
import { sealFor, unsealFor } from '../../common/tokens';
import { AppConfig } from '../../config/app-config';
import { SEALED_COLUMNS, SealedColumn, SealedValue, SealedValuesRepository } from './sealed-values.repository';

const RESEAL_BATCH = 1000;

/** Of one kind of sealed value: sealed again under APP_SECRET, already under it, opened by none of the secrets. */
export interface ResealCounts {
  purpose: SealedColumn['purpose'];
  resealed: number;
  current: number;
  unreadable: number;
}

/**
 * The second step of changing APP_SECRET: every value a previous secret sealed is sealed again under the
 * current one, so APP_SECRET_PREVIOUS can then be emptied. Safe to run again, or while the service runs.
 */
@Injectable()
export class SecretRotationService {
  constructor(
    private readonly sealedValues: SealedValuesRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async resealAll(onBatch: (purpose: SealedColumn['purpose'], read: number) => void = () => undefined): Promise<ResealCounts[]> {
    const report: ResealCounts[] = [];
    for (const column of SEALED_COLUMNS) report.push(await this.reseal(column, (read) => onBatch(column.purpose, read)));
    return report;
  }

  private async reseal(column: SealedColumn, onBatch: (read: number) => void): Promise<ResealCounts> {
    const [current, ...earlier] = this.config.openingSecrets;
    const counts = { purpose: column.purpose, resealed: 0, current: 0, unreadable: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.sealedValues.page(column, after, RESEAL_BATCH);
      if (!page.length) return counts;
      const changed: Array<SealedValue & { resealed: Buffer }> = [];
      for (const value of page) {
        if (opens(current, column, value.id, value.sealed) !== null) {
          counts.current++;
          continue;
        }
        const plaintext = earlier.map((secret) => opens(secret, column, value.id, value.sealed)).find((text) => text !== null);
        if (plaintext === undefined) {
          counts.unreadable++;
          continue;
        }
        changed.push({ ...value, resealed: sealFor(current, column.purpose, value.id, plaintext) });
        counts.resealed++;
      }
      await this.sealedValues.replace(column, changed);
      after = page[page.length - 1].id;
      onBatch(counts.resealed + counts.current + counts.unreadable);
    }
  }
}

function opens(secret: string, column: SealedColumn, id: string, sealed: Buffer): string | null {
  try {
    return unsealFor(secret, column.purpose, id, sealed);
  } catch {
    return null;
  }
}
