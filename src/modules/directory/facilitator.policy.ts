import type { FieldError } from '../../common/errors/app-errors';
import { KIND_LABELS, type RequestKind } from '../requests/request.types';

/**
 * What a facilitator's record must satisfy beyond the shape of each field, and what a change means
 * for routing. Pure: the caller passes the reference data as a Territory.
 */

/** Everything an admin or an import may set; openCount and lastAssignedAt belong to routing. */
export interface FacilitatorProfile {
  email: string;
  firstName: string;
  lastName: string;
  kind: RequestKind;
  /** The structure that employs them (« PLIE du Grand Narbonne »), as the buyer reads it; null: the network. */
  organisation: string | null;
  networkCode: string;
  /** Empty: the whole network (environmental advisers) or fallback only (social-clause coordinators). */
  departmentCodes: string[];
  segments: string[];
  capacity: number;
  isCoordinator: boolean;
  active: boolean;
}

/** What a creation needs; the others have defaults (no structure, none, not coordinator, active). */
export type NewFacilitator = Omit<FacilitatorProfile, 'organisation' | 'departmentCodes' | 'segments' | 'isCoordinator' | 'active'> &
  Partial<Pick<FacilitatorProfile, 'organisation' | 'departmentCodes' | 'segments' | 'isCoordinator' | 'active'>>;

/** A structure's name fits on one line of a sentence: « Camille, de la Maison de l’emploi de Carcassonne ». */
export const ORGANISATION_MAX = 150;

/** A structure as stored: trimmed, its inner spaces single; empty is none (the network). */
export function organisationOf(typed: string | null): string | null {
  const text = typed?.replace(/\s+/g, ' ').trim() ?? '';
  return text === '' ? null : text;
}

/** The reference data the rules need. */
export interface Territory {
  /** Networks that cover at least one département. */
  networkCodes(): readonly string[];
  /** The name people know a network by (« AURA-EE / RREDD »); the code when it has none. */
  networkName(networkCode: string): string;
  networkOfDepartment(departmentCode: string): string | undefined;
  departmentsOfNetwork(networkCode: string): readonly string[];
  segmentExists(segmentCode: string): boolean;
}

export type ProfileResolution = { ok: true; profile: FacilitatorProfile } | { ok: false; errors: FieldError[] };

/** Changing any of these may change who receives which request. */
const ROUTING_FIELDS: ReadonlyArray<keyof FacilitatorProfile> = [
  'kind',
  'networkCode',
  'departmentCodes',
  'segments',
  'capacity',
  'isCoordinator',
  'active',
];

/**
 * Normalises a profile (e-mail lower-case, codes sorted without repeats) and checks it against the
 * reference data. A social-clause facilitator who is not a coordinator and lists no département gets
 * every département of the network spelt out, since routing reads a social-clause list literally.
 */
export function resolveProfile(draft: FacilitatorProfile, territory: Territory): ProfileResolution {
  const profile: FacilitatorProfile = {
    ...draft,
    email: draft.email.trim().toLowerCase(),
    organisation: organisationOf(draft.organisation),
    departmentCodes: uniqueSorted(draft.departmentCodes),
    segments: uniqueSorted(draft.segments),
  };
  const errors: FieldError[] = [];
  const networkKnown = territory.networkCodes().includes(profile.networkCode);
  if (!networkKnown) {
    errors.push({
      field: 'networkCode',
      message: `Réseau inconnu : « ${profile.networkCode} ». Codes possibles : ${territory.networkCodes().join(', ')}.`,
    });
  }
  // Unknown codes and codes of another network are told together, so one correction fixes the list.
  const unknown = profile.departmentCodes.filter((code) => territory.networkOfDepartment(code) === undefined);
  const outside = networkKnown
    ? profile.departmentCodes.filter((code) => ![undefined, profile.networkCode].includes(territory.networkOfDepartment(code)))
    : [];
  const departmentProblems = [
    unknown.length
      ? `${plural(unknown, 'Département inconnu', 'Départements inconnus')} : ${unknown.join(', ')}. Utilisez les codes INSEE (01, 2A, 971…).`
      : '',
    outside.length
      ? `${plural(outside, 'Ce département n’est pas', 'Ces départements ne sont pas')} sur le territoire du réseau « ${territory.networkName(profile.networkCode)} » : ${outside.map((code) => `${code} (${territory.networkName(territory.networkOfDepartment(code)!)})`).join(', ')}.`
      : '',
  ].filter(Boolean);
  if (departmentProblems.length) errors.push({ field: 'departmentCodes', message: departmentProblems.join(' ') });
  const unknownSegments = profile.segments.filter((code) => !territory.segmentExists(code));
  if (unknownSegments.length) {
    errors.push({
      field: 'segments',
      message: `${plural(unknownSegments, 'Segment d’achat inconnu', 'Segments d’achat inconnus')} : ${unknownSegments.join(', ')}.`,
    });
  }
  if (profile.isCoordinator && profile.kind === 'environmental') {
    errors.push({
      field: 'isCoordinator',
      message:
        'Seuls les facilitateurs de clauses sociales peuvent être coordinateurs régionaux : un conseiller environnemental couvre déjà son réseau.',
    });
  }
  if (errors.length) return { ok: false, errors };
  if (profile.kind === 'social_clause' && !profile.isCoordinator && profile.departmentCodes.length === 0) {
    profile.departmentCodes = uniqueSorted(territory.departmentsOfNetwork(profile.networkCode));
  }
  return { ok: true, profile };
}

/** The fields whose value differs; lists compare as sets. */
export function changedFields(before: FacilitatorProfile, after: FacilitatorProfile): Array<keyof FacilitatorProfile> {
  return (Object.keys(after) as Array<keyof FacilitatorProfile>).filter((field) => {
    const [a, b] = [before[field], after[field]];
    return Array.isArray(a) && Array.isArray(b) ? uniqueSorted(a).join(' ') !== uniqueSorted(b).join(' ') : a !== b;
  });
}

/** A change of a record, as the journal tells it. */
export interface ProfileChange {
  before: FacilitatorProfile;
  after: FacilitatorProfile;
  changed: Array<keyof FacilitatorProfile>;
}

const CHANGE_LABELS: Record<keyof FacilitatorProfile, string> = {
  email: 'adresse',
  firstName: 'prénom',
  lastName: 'nom',
  kind: 'type',
  organisation: 'structure',
  networkCode: 'réseau',
  departmentCodes: 'départements',
  segments: 'segments',
  capacity: 'capacité',
  isCoordinator: 'coordination régionale',
  active: '« Reçoit des demandes »',
};

/**
 * The journal's words for a change: each field with its new value and the former one, so an animator reading
 * « réseau » knows from where to where; the address and names are in the line already (whose record it is).
 */
export function changeSummary(
  { before, after, changed }: ProfileChange,
  names: { network: (code: string) => string; segment: (code: string) => string },
): string {
  const yesNo = (value: boolean) => (value ? 'oui' : 'non');
  const was = (field: keyof FacilitatorProfile): string => {
    switch (field) {
      case 'networkCode':
        return `${names.network(after.networkCode)} (avant : ${names.network(before.networkCode)})`;
      case 'kind':
        return `${KIND_LABELS[after.kind]} (avant : ${KIND_LABELS[before.kind]})`;
      case 'capacity':
        return `${after.capacity} (avant : ${before.capacity})`;
      case 'organisation':
        return `${quoted(after.organisation)} (avant : ${quoted(before.organisation)})`;
      case 'isCoordinator':
      case 'active':
        return `${yesNo(after[field])} (avant : ${yesNo(before[field])})`;
      case 'departmentCodes':
        return listChange(before.departmentCodes, after.departmentCodes);
      case 'segments':
        // Labels may hold spaces and commas: « ; » between them.
        return listChange(before.segments, after.segments, names.segment, ' ; ');
      default:
        return '';
    }
  };
  return changed.map((field) => [CHANGE_LABELS[field], was(field)].filter(Boolean).join(' : ')).join(', ');
}

/** A structure in the journal: its name in quotes, or « aucune » (the network). */
function quoted(organisation: string | null): string {
  return organisation === null ? 'aucune' : `« ${organisation} »`;
}

/** « + 2A 2B − 20 »: what a list gained and lost, each code as `named` says it. */
function listChange(
  before: readonly string[],
  after: readonly string[],
  named: (code: string) => string = (code) => code,
  separator = ' ',
): string {
  const said = (codes: string[]) => uniqueSorted(codes).map(named).join(separator);
  const added = after.filter((code) => !before.includes(code));
  const removed = before.filter((code) => !after.includes(code));
  return [added.length ? `+ ${said(added)}` : '', removed.length ? `− ${said(removed)}` : ''].filter(Boolean).join(' ');
}

export function affectsRouting(fields: ReadonlyArray<keyof FacilitatorProfile>): boolean {
  return fields.some((field) => ROUTING_FIELDS.includes(field));
}

/** Plain code-unit order, so the result does not depend on the server's locale. */
function uniqueSorted(codes: readonly string[]): string[] {
  return [...new Set(codes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function plural(items: readonly unknown[], one: string, many: string): string {
  return items.length > 1 ? many : one;
}
