import { Injectable } from '@nestjs/common';
import { ReferenceService } from '../reference/reference.service';
import { DirectoryService, UpsertOutcome } from './directory.service';
import type { NewFacilitator } from './facilitator.policy';

export interface SeededFacilitator {
  facilitator: NewFacilitator;
  outcome: UpsertOutcome;
}

interface Region {
  code: string;
  name: string;
  networkCode: string;
  departmentCodes: string[];
}

/**
 * Obviously fake facilitators (« Démo », example.org) so that a newcomer sees requests routed in
 * every network: two environmental advisers per network, a social-clause facilitator for a few
 * départements of each région and a coordinator per network. Only the demo:seed command calls this.
 */
@Injectable()
export class DemoFacilitatorsService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly reference: ReferenceService,
  ) {}

  async seed(): Promise<SeededFacilitator[]> {
    const seeded: SeededFacilitator[] = [];
    for (const facilitator of this.demoFacilitators()) {
      seeded.push({ facilitator, outcome: await this.directory.upsertByEmail(facilitator) });
    }
    return seeded;
  }

  private demoFacilitators(): NewFacilitator[] {
    const segments = this.reference.allSegments().map((segment) => segment.code);
    const regions = new Map<string, Region>();
    for (const department of this.reference.allDepartments()) {
      const region = regions.get(department.regionCode) ?? {
        code: department.regionCode,
        name: department.regionName,
        networkCode: department.networkCode,
        departmentCodes: [],
      };
      region.departmentCodes.push(department.code);
      regions.set(region.code, region);
    }
    const networks = [...new Set([...regions.values()].map((region) => region.networkCode))].sort();
    return networks.flatMap((network): NewFacilitator[] => {
      const tag = network.toUpperCase();
      const common = { networkCode: network, active: true };
      return [
        ...[1, 2].map((n) => ({
          ...common,
          email: `demo.environnement${n}.${network}@example.org`,
          firstName: n === 1 ? 'Alex' : 'Sacha',
          lastName: `Démo ${tag}`,
          kind: 'environmental' as const,
          departmentCodes: [],
          segments: segments.slice((n - 1) * 4, n * 4),
          capacity: 10,
          isCoordinator: false,
        })),
        ...[...regions.values()]
          .filter((region) => region.networkCode === network)
          .map((region) => ({
            ...common,
            email: `demo.clauses.region${region.code}@example.org`,
            firstName: 'Camille',
            lastName: `Démo ${region.name}`,
            kind: 'social_clause' as const,
            departmentCodes: region.departmentCodes.slice(0, 3),
            segments: [],
            capacity: 8,
            isCoordinator: false,
          })),
        {
          ...common,
          email: `demo.coordination.${network}@example.org`,
          firstName: 'Dominique',
          lastName: `Démo ${tag}`,
          kind: 'social_clause',
          departmentCodes: [],
          segments: [],
          capacity: 5,
          isCoordinator: true,
        },
      ];
    });
  }
}
