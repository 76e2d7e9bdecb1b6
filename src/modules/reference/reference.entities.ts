import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { RequestKind } from '../requests/request.types';

@Entity('networks')
export class Network {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** Where pool alerts go until the network has animators with accounts. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  contactEmail!: string | null;

  @Column({ type: 'boolean', default: false })
  isNational!: boolean;
}

@Entity('regions')
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 3 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @ManyToOne(() => Network, { nullable: false })
  @JoinColumn({ name: 'network_code' })
  network?: Network;

  @Column({ type: 'varchar', length: 32 })
  networkCode!: string;
}

@Entity('departments')
export class Department {
  @PrimaryColumn({ type: 'varchar', length: 3 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @ManyToOne(() => Region, { nullable: false })
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @Column({ type: 'varchar', length: 3 })
  regionCode!: string;
}

@Entity('segments')
export class Segment {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 120 })
  label!: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  cpvCode!: string | null;

  @Column({ type: 'smallint' })
  position!: number;
}

/** A legal text a facilitator can cite in an answer, with its official link. */
@Entity('legal_references')
export class LegalReference {
  /** Stable: answers refer to it. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 300 })
  label!: string;

  @Column({ type: 'varchar', length: 500 })
  url!: string;

  /** The requests it serves: one kind's facilitators are offered it, not the other's; null for both. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  kind!: RequestKind | null;

  @Column({ type: 'smallint' })
  position!: number;
}
