export const STAFF_ROLES = ['facilitator', 'animator', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<StaffRole, string> = {
  facilitator: 'Facilitateur',
  animator: 'Animateur de réseau',
  admin: 'Administrateur',
};

export type AccountLinkPurpose = 'invitation' | 'password_reset';

export const THROTTLE_KINDS = ['sign_in_failure', 'password_reset', 'tracking_links', 'tracking_links_none'] as const;
export type ThrottleKind = (typeof THROTTLE_KINDS)[number];
/** Requests that e-mail a link to an address as typed: a staff password reset, a buyer's tracking links. */
export type EmailedLinkKind = 'password_reset' | 'tracking_links';

/**
 * The signed-in person as every staff page and API sees it. networkCodes: an animator's networks,
 * a facilitator's directory network, nothing for an admin (who sees all).
 */
export interface StaffPrincipal {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
  facilitatorId: string | null;
  networkCodes: string[];
}

/** How the request was authenticated: a browser session (CSRF applies) or a bearer token (id null). */
export interface StaffSessionRef {
  id: string | null;
}
