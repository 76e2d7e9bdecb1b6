import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A column of values sealed with `sealFor` under a purpose, each bound to its row's id. */
export interface SealedColumn {
  table: 'requests' | 'surveys';
  column: 'tracking_token_sealed' | 'token_sealed';
  purpose: 'tracking' | 'survey';
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'requests', column: 'tracking_token_sealed', purpose: 'tracking' },
  { table: 'surveys', column: 'token_sealed', purpose: 'survey' },
];

export interface SealedValue {
  id: string;
  sealed: Buffer;
}

@Injectable()
export class SealedValuesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The next `limit` sealed values after `afterId`, in id order (a run can stop and start again anywhere). */
  page(column: SealedColumn, afterId: string, limit: number): Promise<SealedValue[]> {
    return this.dataSource.query(
      `SELECT id, ${column.column} AS sealed FROM ${column.table}
        WHERE id > $1 AND ${column.column} IS NOT NULL ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }

  /** Replaces values only where they are still the ones read: one sealed meanwhile by the service is kept. */
  async replace(column: SealedColumn, values: Array<SealedValue & { resealed: Buffer }>): Promise<void> {
    if (!values.length) return;
    await this.dataSource.query(
      `UPDATE ${column.table} AS t SET ${column.column} = v.resealed
         FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS v(id, sealed, resealed)
        WHERE t.id = v.id AND t.${column.column} = v.sealed`,
      [values.map((v) => v.id), values.map((v) => v.sealed), values.map((v) => v.resealed)],
    );
  }
}
