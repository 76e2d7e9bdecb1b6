import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

export interface FacilitatorSeed {
  /** A chosen id, for a test that needs the directory's id order (routing locks facilitators by id). */
  id?: string;
  kind?: 'environmental' | 'social_clause';
  network?: string;
  departments?: string[];
  capacity?: number;
  segments?: string[];
  coordinator?: boolean;
  active?: boolean;
  firstName?: string;
  lastName?: string;
  email?: string;
  organisation?: string | null;
}

/** Writes a facilitator straight into the directory tables, as an import would. */
export async function insertFacilitator(dataSource: DataSource | EntityManager, seed: FacilitatorSeed = {}): Promise<string> {
  const id = seed.id ?? randomUUID();
  await dataSource.query(
    `INSERT INTO facilitators (id, email, first_name, last_name, kind, network_code, is_coordinator, capacity, active, segments, organisation)
     VALUES ($1, $2, $3, $10, $4, $5, $6, $7, $8, $9, $11)`,
    [
      id,
      seed.email ?? `facilitateur-${id}@example.org`,
      seed.firstName ?? 'Dominique',
      seed.kind ?? 'environmental',
      seed.network ?? 'aura-ee',
      seed.coordinator ?? false,
      seed.capacity ?? 10,
      seed.active ?? true,
      seed.segments ?? [],
      seed.lastName ?? 'Test',
      seed.organisation ?? null,
    ],
  );
  for (const department of seed.departments ?? []) {
    await dataSource.query(`INSERT INTO facilitator_departments (facilitator_id, department_code) VALUES ($1, $2)`, [id, department]);
  }
  return id;
}
