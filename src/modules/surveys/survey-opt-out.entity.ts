import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An address that wants no follow-up survey at all: the buyer's own choice, or recorded by staff on their word. Keyed
 * by an HMAC of the normalised address (`surveyOptOutHashes`), never the address itself: the objection must outlast the
 * erasure of the buyer's requests, which leaves no address behind.
 */
@Entity('survey_opt_outs')
@Check('survey_opt_outs_source_check', `"source" IN ('buyer', 'staff')`)
export class SurveyOptOut {
  @PrimaryColumn({ type: 'bytea' })
  emailHash!: Buffer;

  /** Who recorded it: the buyer from a survey e-mail's page, or staff on the request's page. */
  @Column({ type: 'varchar', length: 10 })
  source!: 'buyer' | 'staff';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
