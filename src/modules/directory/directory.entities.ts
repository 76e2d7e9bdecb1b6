import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Department, Network } from '../reference/reference.entities';
import type { RequestKind } from '../requests/request.types';
import { ORGANISATION_MAX } from './facilitator.policy';

/** An adviser who answers requests: environmental (regional network) or social clause (territory). */
@Entity('facilitators')
@Check('facilitators_capacity_check', '"capacity" >= 0')
@Check('facilitators_open_count_check', '"open_count" >= 0')
export class Facilitator {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Stored lower-case: the identity used by imports and, later, by staff accounts. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  firstName!: string;

  @Column({ type: 'varchar', length: 100 })
  lastName!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: RequestKind;

  /** The structure that employs a social-clause facilitator (PLIE, maison de l’emploi…); null: the network itself. */
  @Column({ type: 'varchar', length: ORGANISATION_MAX, nullable: true })
  organisation!: string | null;

  @ManyToOne(() => Network, { nullable: false })
  @JoinColumn({ name: 'network_code' })
  network?: Network;

  @Index()
  @Column({ type: 'varchar', length: 32 })
  networkCode!: string;

  /** A social-clause regional coordinator: the fallback for the whole of its network's régions. */
  @Column({ type: 'boolean', default: false })
  isCoordinator!: boolean;

  /** Most requests open at once. */
  @Column({ type: 'integer' })
  capacity!: number;

  /** Requests assigned and not yet finished; kept with each assignment change, under the row lock. */
  @Column({ type: 'integer', default: 0 })
  openCount!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Purchase segments of expertise, ranked first when they match. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  segments!: string[];

  @Column({ type: 'timestamptz', nullable: true })
  lastAssignedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Départements a facilitator covers; none listed means the whole of its network. */
@Entity('facilitator_departments')
@Index(['departmentCode'])
export class FacilitatorDepartment {
  @PrimaryColumn({ type: 'uuid' })
  facilitatorId!: string;

  @PrimaryColumn({ type: 'varchar', length: 3 })
  departmentCode!: string;

  @ManyToOne(() => Facilitator, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'facilitator_id' })
  facilitator?: Facilitator;

  @ManyToOne(() => Department)
  @JoinColumn({ name: 'department_code' })
  department?: Department;
}

/** A period, whole days inclusive, when the facilitator receives nothing. */
@Entity('facilitator_absences')
@Check('facilitator_absences_range_check', '"ends_on" >= "starts_on"')
@Index(['facilitatorId', 'endsOn'])
@Index('facilitator_absences_unannounced_idx', ['startsOn'], { where: '"self_declared" AND "announced_at" IS NULL' })
export class FacilitatorAbsence {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  facilitatorId!: string;

  @ManyToOne(() => Facilitator, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'facilitator_id' })
  facilitator?: Facilitator;

  @Column({ type: 'date' })
  startsOn!: string;

  @Column({ type: 'date' })
  endsOn!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  /** Declared by the facilitator themself: the network's animators are to hear of it (absence.policy). */
  @Column({ type: 'boolean', default: false })
  selfDeclared!: boolean;

  /** When the animators were told; null: not yet, or not to be. */
  @Column({ type: 'timestamptz', nullable: true })
  announcedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
