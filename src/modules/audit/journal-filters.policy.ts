/**
 * What the journal's reader narrows it to (pure): words in the line or its author, a kind of change, one of the
 * networks they may read. A value they may not use (another's network, an unknown kind) is left out, not an error:
 * the journal then shows what it would without it.
 */

/** The kinds of change a reader looks for, each with the actions written under it. */
export const CHANGE_KINDS = {
  comptes: {
    label: 'Comptes (invitations, désactivations, adresses, réseaux animés, jetons d’API)',
    actions: [
      'account_invited',
      'account_deactivated',
      'account_reactivated',
      'account_email_changed',
      'account_networks_changed',
      'api_token_created',
    ],
  },
  annuaire: { label: 'Annuaire des facilitateurs (fiches créées ou modifiées)', actions: ['facilitator_created', 'facilitator_updated'] },
  reseaux: { label: 'Réseaux (adresse de contact)', actions: ['network_contact_changed'] },
  modeles: {
    label: 'Modèles de réponse (créés, modifiés, supprimés)',
    actions: ['template_created', 'template_updated', 'template_deleted'],
  },
} as const;
export type ChangeKind = keyof typeof CHANGE_KINDS;
/** Every action the journal writes: one outside the kinds above would match no reader's filter. */
export type AuditAction = (typeof CHANGE_KINDS)[ChangeKind]['actions'][number];

export interface JournalFilters {
  /** Words sought in the line and its author's name, as typed (trimmed; null: none). */
  search: string | null;
  kind: ChangeKind | null;
  /** One network among the reader's (null: all they may read). */
  network: string | null;
}

export const JOURNAL_SEARCH_MAX = 100;

/** `readable`: the networks this reader may filter on (an admin: all; an animator: theirs). */
export function journalFilters(query: Record<string, unknown>, readable: readonly string[]): JournalFilters {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, JOURNAL_SEARCH_MAX) : '');
  const kind = text(query.quoi);
  const network = text(query.reseau);
  return {
    search: text(query.q) || null,
    kind: Object.hasOwn(CHANGE_KINDS, kind) ? (kind as ChangeKind) : null,
    network: readable.includes(network) ? network : null,
  };
}

/** The journal's address with these filters, and where to page back from (the « older » link keeps them). */
export function journalUrl(filters: JournalFilters, before: string | null = null): string {
  const params = new URLSearchParams();
  if (filters.search) params.set('q', filters.search);
  if (filters.kind) params.set('quoi', filters.kind);
  if (filters.network) params.set('reseau', filters.network);
  if (before) params.set('avant', before);
  const query = params.toString();
  return query ? `/espace/journal?${query}` : '/espace/journal';
}
