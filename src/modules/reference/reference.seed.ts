import { EntityManager } from 'typeorm';
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

/** Upserts the reference data; safe to run at every boot and from several processes (caller holds a lock). */
export async function seedReferenceData(manager: EntityManager): Promise<void> {
  const networkOfRegion = new Map<string, string>();
  for (const network of networksSeed) for (const region of network.regions) networkOfRegion.set(region, network.code);

  await manager.upsert(
    Network,
    networksSeed.map((n) => ({ code: n.code, name: n.name, contactEmail: n.contactEmail, isNational: n.national === true })),
    ['code'],
  );
  await manager.upsert(
    Region,
    etalabRegions
      .filter((r) => SERVED_ZONES.has(r.zone))
      .map((r) => ({ code: r.code, name: r.nom, networkCode: networkOfRegion.get(r.code) ?? NATIONAL_NETWORK })),
    ['code'],
  );
  await manager.upsert(
    Department,
    etalabDepartments.filter((d) => SERVED_ZONES.has(d.zone)).map((d) => ({ code: d.code, name: d.nom, regionCode: d.region! })),
    ['code'],
  );
  await manager.upsert(
    Segment,
    segmentsSeed.map((s, position) => ({ code: s.code, label: s.label, cpvCode: s.cpv, position })),
    ['code'],
  );
  await manager.upsert(
    LegalReference,
    legalReferencesSeed.map((r, position) => ({ code: r.code, label: r.label, url: r.url, position })),
    ['code'],
  );
}
