import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { runAsOne } from '../../database/sql-statement';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AuditEntry, AuditRepository } from './audit.repository';
import { AuditAction, CHANGE_KINDS, JournalFilters } from './journal-filters.policy';

/** Who, for the journal: the person and their address then; null is an operator at the command line. */
export type AuditActor = Pick<StaffPrincipal, 'id' | 'firstName' | 'lastName' | 'email'> | null;

/** A person as a journal line names them: « Camille Roux (camille.roux@exemple.fr) ». */
export function nameAndEmail(person: { firstName: string; lastName: string; email: string }): string {
  return `${person.firstName} ${person.lastName} (${person.email})`.trim();
}

/** A journal line is kept a year (CNIL's usual length for access traces), then erased by the retention sweep. */
export const AUDIT_RETENTION_DAYS = 366;
const PAGE_SIZE = 100;

/**
 * The desk's journal of changes to its settings: written in the transaction of the change it tells (never one without
 * the other), read newest first by admins (all) and animators (their networks').
 */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async record(
    manager: EntityManager,
    actor: AuditActor,
    action: AuditAction,
    networkCodes: readonly string[],
    summary: string,
    subjectId: string | null = null,
  ): Promise<void> {
    await runAsOne(manager, [
      this.audit.insertStatement({
        actorId: actor?.id ?? null,
        actorName: actor ? nameAndEmail(actor) : 'Ligne de commande (exploitation)',
        action,
        networkCodes: [...new Set(networkCodes)],
        summary,
        subjectId,
      }),
    ]);
  }

  /** A page of the journal for this person, as filtered, and the id to continue from (null: no older line). */
  async page(
    staff: StaffPrincipal,
    filters: JournalFilters,
    before: unknown,
  ): Promise<{ entries: AuditEntry[]; olderFrom: string | null }> {
    const beforeId = typeof before === 'string' && /^[1-9]\d{0,17}$/.test(before) ? before : null;
    const entries = await this.audit.page(
      {
        networks: filters.network ? [filters.network] : visibleNetworks(staff),
        actions: filters.kind ? CHANGE_KINDS[filters.kind].actions : null,
        search: filters.search,
      },
      beforeId,
      PAGE_SIZE + 1,
    );
    const shown = entries.slice(0, PAGE_SIZE);
    return { entries: shown, olderFrom: entries.length > PAGE_SIZE ? shown[shown.length - 1].id : null };
  }

  /**
   * What was last done to the subject among these actions, who did it (by name, never the address: any staff member may
   * read it) and when, as a reader of these networks (null: all) may see it; null if none.
   */
  latestAbout<A extends AuditAction>(subjectId: string, actions: readonly A[], networks: readonly string[] | null) {
    return this.audit.latestAbout(subjectId, actions, networks);
  }

  purgeExpired(): Promise<number> {
    return this.audit.purgeOlderThan(AUDIT_RETENTION_DAYS);
  }
}
