import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { RequestKind } from '../requests/request.types';
import { realignOpenRequests, RealignmentSummary } from '../routing/network-realignment';
import { Department, LegalReference, Network, Region, Segment } from './reference.entities';
import legalReferencesSeed from './seed/legal-references.json';
import networksSeed from './seed/networks.json';
import segmentsSeed from './seed/segments.json';

interface EtalabArea {
  code: string;
  nom: string;
  zone: string;
  region?: string;
}

// The package's index module resolves its data folder wrongly, so the JSON files are read directly.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const etalabRegions: EtalabArea[] = require('@etalab/decoupage-administratif/data/regions.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const etalabDepartments: EtalabArea[] = require('@etalab/decoupage-administratif/data/departements.json');

/** The 101 départements: metropolitan France and the five overseas départements-régions. */
const SERVED_ZONES = new Set(['metro', 'drom']);

export const NATIONAL_NETWORK = 'national';

/** The codes the service knows, as seeded: the API documents them (OpenAPI enums) as it checks them. */
export const DEPARTMENT_CODES = etalabDepartments.filter((d) => SERVED_ZONES.has(d.zone)).map((d) => d.code);
export const SEGMENT_CODES = segmentsSeed.map((s) => s.code);

/**
 * Adds missing rows and rewrites those that differ from the seed, by code. The code itself is left
 * out of the update: rewriting a key, even to the same value, locks the row as a delete would, and
 * every submission referencing it (a foreign-key share lock) would wait for the seed, or deadlock
 * with it when an instance boots under load. `insertOnly`: properties the seed gives a new row only
 * (people edit them afterwards in the service).
 */
async function upsertByCode<T extends ObjectLiteral & { code: string }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: T[],
  insertOnly: ReadonlyArray<keyof T> = [],
): Promise<void> {
  const metadata = manager.connection.getMetadata(entity);
  const columns = Object.keys(rows[0])
    .filter((property) => property !== 'code' && !insertOnly.includes(property))
    .map((property) => metadata.findColumnWithPropertyName(property)!.databaseName);
  await manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(rows)
    .orUpdate(columns, ['code'], { skipUpdateIfNoValuesChanged: true })
    .execute();
}

/**
 * Networks whose contact address is still a development placeholder (`.localhost`): what they are sent while they
 * have no animator — pool alerts, overdue digests — reaches no one. Said at boot in production.
 */
export async function placeholderContacts(db: Pick<EntityManager, 'query'>): Promise<Array<{ code: string; contactEmail: string }>> {
  return db.query(`SELECT code, contact_email AS "contactEmail" FROM networks WHERE contact_email ILIKE '%.localhost' ORDER BY code`);
}

/** A network as the seed file describes it: the régions it covers (none: the national network's fallback). */
export interface NetworkSeed {
  code: string;
  name: string;
  contactEmail: string;
  national?: boolean;
  regions: string[];
}

/**
 * Upserts the reference data; safe to run at every boot and from several processes (caller holds a lock). When a
 * région changed network, the open requests of its territory follow (realignOpenRequests): what moved is returned
 * for the boot to log. `networks`: the seed file's, unless a test changes the map.
 */
export async function seedReferenceData(
  manager: EntityManager,
  networks: readonly NetworkSeed[] = networksSeed,
): Promise<RealignmentSummary> {
  const networkOfRegion = new Map<string, string>();
  for (const network of networks) for (const region of network.regions) networkOfRegion.set(region, network.code);

  await upsertByCode(
    manager,
    Network,
    networks.map((n) => ({ code: n.code, name: n.name, contactEmail: n.contactEmail, isNational: n.national === true })),
    // Kept on the « Réseaux » page: a restart must not bring the seed's address back.
    ['contactEmail'],
  );
  await upsertByCode(
    manager,
    Region,
    etalabRegions
      .filter((r) => SERVED_ZONES.has(r.zone))
      .map((r) => ({ code: r.code, name: typographic(r.nom), networkCode: networkOfRegion.get(r.code) ?? NATIONAL_NETWORK })),
  );
  await upsertByCode(
    manager,
    Department,
    etalabDepartments
      .filter((d) => SERVED_ZONES.has(d.zone))
      .map((d) => ({ code: d.code, name: typographic(d.nom), regionCode: d.region! })),
  );
  await upsertByCode(
    manager,
    Segment,
    segmentsSeed.map((s, position) => ({ code: s.code, label: s.label, cpvCode: s.cpv, position })),
  );
  await upsertByCode(
    manager,
    LegalReference,
    legalReferencesSeed.map((r, position) => ({
      code: r.code,
      label: r.label,
      url: r.url,
      kind: (r.kind ?? null) as RequestKind | null,
      position,
    })),
  );
  return realignOpenRequests(manager);
}

/** « Côte-d’Or », « Provence-Alpes-Côte d’Azur »: the site's apostrophe, not the data file's straight one. */
function typographic(name: string): string {
  return name.replace(/'/g, '’');
}
