import { LEFT_DRAFTS_PATH } from '../answer-drafts/answer-draft.policy';
import type { StaffPrincipal } from './accounts.types';

export interface NavigationItem {
  label: string;
  href: string;
  /** `page` on the item's own page, `true` elsewhere in its section, null outside it (the value of aria-current). */
  current: 'page' | 'true' | null;
}

interface Section {
  label: string;
  href: string;
  /** Whether a path belongs to the section, beyond the item's own page. */
  contains: (path: string) => boolean;
}

/**
 * Whether `staffNavigation` needs to know of left drafts for this request: only a facilitator (nobody else writes
 * answers) opening a page, a GET with a session outside the API. A script's call, an autosave or any other POST, and
 * every call of an admin or animator ask nothing of the drafts.
 */
export function asksLeftDrafts(
  staff: Pick<StaffPrincipal, 'role'>,
  request: { method: string; path: string; withSession: boolean },
): boolean {
  return staff.role === 'facilitator' && request.withSession && request.method === 'GET' && !request.path.startsWith('/api/');
}

const under = (prefix: string) => (path: string) => path.startsWith(`${prefix}/`);

/**
 * The staff's main navigation, as their role allows, the section of `path` marked. « Mes brouillons laissés » only for
 * whoever has drafts on requests taken from them (`leftDrafts`): nobody else has a use for it.
 */
export function staffNavigation(staff: Pick<StaffPrincipal, 'role' | 'facilitatorId'>, path: string, leftDrafts = false): NavigationItem[] {
  const own = staff.facilitatorId ? `/espace/facilitateurs/${staff.facilitatorId}` : null;
  const sections: Section[] = [
    {
      label: staff.role === 'facilitator' ? 'Mes demandes' : 'Demandes',
      href: '/espace',
      contains: (p) => under('/espace/demandes')(p) || under('/espace/export')(p),
    },
    ...(leftDrafts ? [{ label: 'Mes brouillons laissés', href: LEFT_DRAFTS_PATH, contains: under(LEFT_DRAFTS_PATH) }] : []),
    { label: 'Évaluations', href: '/espace/evaluations', contains: under('/espace/evaluations') },
    ...(staff.role === 'facilitator'
      ? own
        ? [
            { label: 'Ma fiche', href: `${own}/fiche`, contains: () => false },
            { label: 'Mes absences', href: `${own}/absences`, contains: () => false },
          ]
        : []
      : [
          { label: 'Indicateurs', href: '/espace/indicateurs', contains: under('/espace/indicateurs') },
          { label: 'Facilitateurs', href: '/espace/facilitateurs', contains: under('/espace/facilitateurs') },
          { label: 'Modèles de réponse', href: '/espace/modeles', contains: under('/espace/modeles') },
          { label: 'Comptes', href: '/espace/comptes', contains: under('/espace/comptes') },
          { label: 'Réseaux', href: '/espace/reseaux', contains: under('/espace/reseaux') },
          { label: 'Journal', href: '/espace/journal', contains: under('/espace/journal') },
        ]),
    // The queues' dashboard (Bull Board, its own page outside the workspace's layout) is the admins' alone.
    ...(staff.role === 'admin' ? [{ label: 'Files de traitement', href: '/admin/queues', contains: () => false }] : []),
  ];
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return sections.map(({ label, href, contains }) => ({
    label,
    href,
    current: trimmed === href ? 'page' : contains(trimmed) ? 'true' : null,
  }));
}
