import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Network } from '../reference/reference.entities';
import type { RequestKind } from '../requests/request.types';

/** A network's reusable answer text: its facilitators start an answer from it, its animators keep it up to date. */
@Entity('answer_templates')
@Index(['networkCode', 'title'])
export class AnswerTemplate {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  networkCode!: string;

  @ManyToOne(() => Network, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'network_code', referencedColumnName: 'code' })
  network?: Network;

  @Column({ type: 'varchar', length: 120 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  /** The requests it suits: one kind, offered first on them and not on the other kind's; null for both. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  kind!: RequestKind | null;

  /** Who wrote or last changed it (a staff account; null once that account is gone). */
  @Column({ type: 'uuid', nullable: true })
  updatedById!: string | null;

  /** One more at each save: a save prepared from an older one is refused rather than overwriting a colleague's. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
