import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { localDay, sharedClockDepartment } from '../../common/local-clock';
import type { KnownCodes } from '../../common/query-parameters';
import type { RequestKind } from '../requests/request.types';
import type { NetworkDays } from './network-days';
import { Department, LegalReference, Network, Segment } from './reference.entities';

export interface DepartmentRef {
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
  networkCode: string;
}

/**
 * Reference data is small and changes only at boot (seed), so it is read once and served from memory.
 */
@Injectable()
export class ReferenceService implements OnModuleInit {
  private departments = new Map<string, DepartmentRef>();
  private segments = new Map<string, Segment>();
  private networks = new Map<string, Network>();
  private legalReferences = new Map<string, LegalReference>();
  private clockDepartments = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const departments = await this.dataSource.getRepository(Department).find({ relations: { region: true } });
    this.departments = new Map(
      departments
        .sort((a, b) => departmentSortKey(a.code).localeCompare(departmentSortKey(b.code)))
        .map((d) => [
          d.code,
          { code: d.code, name: d.name, regionCode: d.regionCode, regionName: d.region!.name, networkCode: d.region!.networkCode },
        ]),
    );
    const segments = await this.dataSource.getRepository(Segment).find({ order: { position: 'ASC' } });
    this.segments = new Map(segments.map((s) => [s.code, s]));
    const networks = await this.dataSource.getRepository(Network).find({ order: { name: 'ASC' } });
    this.networks = new Map(networks.map((n) => [n.code, n]));
    this.clockDepartments = new Map(networks.map((n) => [n.code, sharedClockDepartment(this.departmentsOf(n.code).map((d) => d.code))]));
    const legalReferences = await this.dataSource.getRepository(LegalReference).find({ order: { position: 'ASC' } });
    this.legalReferences = new Map(legalReferences.map((r) => [r.code, r]));
  }

  department(code: string): DepartmentRef | undefined {
    return this.departments.get(code);
  }

  /** "38 — Isère", as lists, e-mails and exports name a département. */
  departmentLabel(code: string): string {
    return `${code} — ${this.departments.get(code)?.name ?? ''}`;
  }

  /** The départements of these networks (null: all) as a list's choices, labelled like departmentLabel. */
  departmentOptions(networkCodes: readonly string[] | null = null): Array<{ value: string; label: string }> {
    return this.allDepartments()
      .filter((d) => networkCodes === null || networkCodes.includes(d.networkCode))
      .map((d) => ({ value: d.code, label: this.departmentLabel(d.code) }));
  }

  segment(code: string): Segment | undefined {
    return this.segments.get(code);
  }

  /** A segment's French name; its code when the segment is unknown (a row older than the reference data). */
  segmentLabel(code: string): string {
    return this.segments.get(code)?.label ?? code;
  }

  /** Every segment as a list's choice. */
  segmentOptions(): Array<{ value: string; label: string }> {
    return this.allSegments().map((s) => ({ value: s.code, label: s.label }));
  }

  network(code: string): Network | undefined {
    return this.networks.get(code);
  }

  /** The codes an API's filters may name (see queryProblems). */
  readonly knownCodes: KnownCodes = {
    isSegment: (code) => this.segments.has(code),
    isDepartment: (code) => this.departments.has(code),
    isNetwork: (code) => this.networks.has(code),
  };

  /**
   * The same, for someone who sees only these networks (null: all): a network they do not see is no value their
   * filters take — it would list nothing beside figures of their own.
   */
  knownCodesWithin(networks: readonly string[] | null): KnownCodes {
    return { ...this.knownCodes, isNetwork: (code) => this.networks.has(code) && (networks === null || networks.includes(code)) };
  }

  /** The networks within `scope` (null: all), as a list's choices by name. */
  networkOptions(scope: readonly string[] | null): Array<{ value: string; label: string }> {
    return this.allNetworks()
      .filter((network) => scope === null || scope.includes(network.code))
      .map((network) => ({ value: network.code, label: network.name }));
  }

  allDepartments(): DepartmentRef[] {
    return [...this.departments.values()];
  }

  /** The départements a network covers (those of its régions). */
  departmentsOf(networkCode: string): DepartmentRef[] {
    return this.allDepartments().filter((department) => department.networkCode === networkCode);
  }

  /**
   * The département whose clock and calendar a network's days follow (sharedClockDepartment): La Réunion's for its
   * network, Paris's for one spanning several zones.
   */
  clockDepartmentOf(networkCode: string): string {
    return this.clockDepartments.get(networkCode) ?? sharedClockDepartment([]);
  }

  /** Every network's day at `instant`, on its own clock: its facilitators' « today » (absences). */
  networkDays(instant: Date): NetworkDays {
    return Object.fromEntries(this.allNetworks().map((network) => [network.code, this.networkDay(network.code, instant)]));
  }

  networkDay(networkCode: string, instant: Date): string {
    return localDay(this.clockDepartmentOf(networkCode), instant);
  }

  allNetworks(): Network[] {
    return [...this.networks.values()];
  }

  /**
   * Whom a buyer writes to about their data or a page they cannot use: each network with its régions and address.
   * Addresses are read from the database, where the « Réseaux » page changes them (this memory holds the boot's).
   */
  async networkContacts(): Promise<Array<{ name: string; email: string; regions: string[] }>> {
    const regionsOf = new Map<string, Set<string>>();
    for (const department of this.departments.values()) {
      regionsOf.set(department.networkCode, (regionsOf.get(department.networkCode) ?? new Set()).add(department.regionName));
    }
    const contacts: Array<{ code: string; email: string }> = await this.dataSource.query(
      `SELECT code, contact_email AS email FROM networks WHERE contact_email IS NOT NULL`,
    );
    return contacts
      .map(({ code, email }) => ({
        name: this.networks.get(code)?.name ?? code,
        email,
        regions: [...(regionsOf.get(code) ?? [])].sort((a, b) => a.localeCompare(b, 'fr')),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }

  /** A network's contact address as the « Réseaux » page keeps it (see networkContacts), or null; `db`: a caller's transaction. */
  async networkContactEmail(code: string, db: DataSource | EntityManager = this.dataSource): Promise<string | null> {
    const [row] = await db.query(`SELECT contact_email AS email FROM networks WHERE code = $1`, [code]);
    return row?.email ?? null;
  }

  allSegments(): Segment[] {
    return [...this.segments.values()];
  }

  legalReference(code: string): LegalReference | undefined {
    return this.legalReferences.get(code);
  }

  /** For the answer form's list, in the seed's order: those of the request's kind and those common to both kinds. */
  legalReferencesFor(kind: RequestKind): LegalReference[] {
    return [...this.legalReferences.values()].filter((reference) => reference.kind === null || reference.kind === kind);
  }
}

/** "2A" and "2B" sort between "19" and "21", as in every French list. */
function departmentSortKey(code: string): string {
  return code.replace(/^2A$/, '20A').replace(/^2B$/, '20B').padStart(3, '0');
}
