import type { FacilitatorProfile } from './facilitator.policy';

/** The directory form as typed: every field a string, the segments the list of ticked codes. */
export interface FacilitatorFormValues {
  email?: string;
  firstName?: string;
  lastName?: string;
  kind?: string;
  organisation?: string;
  networkCode?: string;
  /** INSEE codes as typed: "38 73", "38, 73"… */
  departmentCodes?: string;
  segments: string[];
  capacity?: string;
  isCoordinator?: string;
  active?: string;
}

const TEXT_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'kind',
  'organisation',
  'networkCode',
  'departmentCodes',
  'capacity',
  'isCoordinator',
  'active',
] as const;

/** Keeps only the known fields, as typed, to show them back on error. */
export function pickFacilitatorForm(body: Record<string, unknown>): FacilitatorFormValues {
  const values: FacilitatorFormValues = { segments: [] };
  for (const field of TEXT_FIELDS) if (typeof body[field] === 'string') values[field] = body[field];
  values.segments = ([] as unknown[]).concat(body.segments ?? []).filter((code): code is string => typeof code === 'string');
  return values;
}

/**
 * Turns the form's strings into the API's shape, so one validation serves both: empty means absent (a structure: none),
 * the codes a list, the capacity a number when it is one (otherwise left as typed, for a clear error), the
 * boxes booleans (an unticked box is not sent, so it means false).
 */
export function formToFacilitator(values: FacilitatorFormValues): Record<string, unknown> {
  const present = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const capacity = present(values.capacity);
  return {
    email: present(values.email),
    firstName: present(values.firstName),
    lastName: present(values.lastName),
    kind: present(values.kind),
    organisation: present(values.organisation) ?? null,
    networkCode: present(values.networkCode),
    departmentCodes: (values.departmentCodes ?? '')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((code) => code.toUpperCase()),
    segments: values.segments,
    capacity: capacity !== undefined && /^\d+$/.test(capacity) ? Number(capacity) : capacity,
    isCoordinator: values.isCoordinator === 'true',
    active: values.active === 'true',
  };
}

/** A stored record as the edit form shows it. */
export function facilitatorFormOf(profile: FacilitatorProfile): FacilitatorFormValues {
  return {
    email: profile.email,
    firstName: profile.firstName,
    lastName: profile.lastName,
    kind: profile.kind,
    organisation: profile.organisation ?? undefined,
    networkCode: profile.networkCode,
    departmentCodes: profile.departmentCodes.join(' '),
    segments: profile.segments,
    capacity: String(profile.capacity),
    isCoordinator: profile.isCoordinator ? 'true' : undefined,
    active: profile.active ? 'true' : undefined,
  };
}
