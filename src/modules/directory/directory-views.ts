import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { ofPhrase } from '../../common/french-format';
import { lastDayOf } from '../../common/working-days.policy';
import { FormModel } from '../../web/form-model';
import { noticeOf } from '../../web/notices';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ReferenceService } from '../reference/reference.service';
import { REQUEST_KINDS, RequestKind, STAFF_STATUS_LABELS } from '../requests/request.types';
import { absenceOn, ANNOUNCE_WITHIN_DAYS } from './absence.policy';
import { FacilitatorDto } from './dto/facilitator.dto';
import type { HeldRequest } from './facilitators.repository';

/** Who the facilitator is, rather than what a request is about (KIND_LABELS). */
const FACILITATOR_KINDS: Record<RequestKind, string> = {
  environmental: 'Conseiller environnemental (guichet vert)',
  social_clause: 'Facilitateur de clauses sociales',
};

const NOTICES: Record<string, string> = {
  ajout: 'L’absence est enregistrée : aucune nouvelle demande ne sera confiée pendant ces jours.',
  suppression: 'L’absence est supprimée.',
  creation: 'Le facilitateur est ajouté à l’annuaire : le routage peut lui confier des demandes.',
  modification: 'La fiche est enregistrée.',
  // After « Réactiver » on the accounts page, for a record the deactivation took out of routing.
  reactivation:
    'Le compte est réactivé. Sa fiche ne reçoit toujours pas de demandes : cochez « Reçoit des demandes » ci-dessous si elle doit en recevoir de nouveau.',
  'reactivation-invitation':
    'Le compte est réactivé et une invitation à choisir un mot de passe lui est envoyée. Sa fiche ne reçoit toujours pas de demandes : cochez « Reçoit des demandes » ci-dessous si elle doit en recevoir de nouveau.',
  retrait:
    'La fiche est enregistrée et ne reçoit plus de nouvelles demandes. Celles qui n’étaient pas encore prises en charge repartent en attribution ; celles en cours restent à la même personne, à réaffecter depuis leur page si besoin.',
};

export function profilePath(facilitator: { id: string }): string {
  return `/espace/facilitateurs/${facilitator.id}/fiche`;
}

export function absencesPath(facilitator: { id: string }): string {
  return `/espace/facilitateurs/${facilitator.id}/absences`;
}

/** Labels and choices for the directory pages: the templates only lay them out. */
@Injectable()
export class DirectoryViews {
  constructor(
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  /** The form of a new facilitator (no `facilitator`) or of an existing one, for their managers. */
  /** `invite`: the facilitator has no account yet, so the page says how to give them one. */
  profilePage(staff: StaffPrincipal, facilitator: FacilitatorDto | undefined, form: FormModel, done?: unknown, invite = false) {
    const networks = this.networkOptions(staff);
    return {
      title: facilitator ? `Fiche ${ofPhrase(`${facilitator.firstName} ${facilitator.lastName}`)}` : 'Ajouter un facilitateur',
      facilitator,
      action: facilitator ? profilePath(facilitator) : '/espace/facilitateurs/nouveau',
      absencesUrl: facilitator && absencesPath(facilitator),
      notice: noticeOf(NOTICES, done),
      invite: invite && facilitator !== undefined,
      // Just taken out of routing while holding requests: where they are, to reassign them.
      heldUrl: done === 'retrait' && facilitator && facilitator.openCount > 0 ? `/espace?facilitator=${facilitator.id}` : null,
      form,
      kinds: REQUEST_KINDS.map((kind) => ({ value: kind, label: FACILITATOR_KINDS[kind] })),
      networks,
      // Few networks: their départements are spelt out beside the field; an admin's whole list would drown it.
      networkDepartments:
        networks.length <= 3
          ? networks.map((network) => ({
              name: network.label,
              departments: this.reference.departmentsOf(network.value).map((department) => `${department.code} ${department.name}`),
            }))
          : [],
      segments: this.reference.segmentOptions(),
    };
  }

  /** A facilitator's own record, read-only. */
  ownProfilePage(facilitator: FacilitatorDto) {
    return {
      title: 'Ma fiche de facilitateur',
      facilitator,
      kindLabel: FACILITATOR_KINDS[facilitator.kind],
      networkName: this.reference.network(facilitator.networkCode)?.name ?? facilitator.networkCode,
      departments: facilitator.departmentCodes.map((code) => `${code} ${this.reference.department(code)?.name ?? ''}`.trim()),
      segments: facilitator.segments.map((code) => this.reference.segmentLabel(code)),
      absencesUrl: absencesPath(facilitator),
    };
  }

  absencesPage(staff: StaffPrincipal, facilitator: FacilitatorDto, held: HeldRequest[], form: FormModel, done?: unknown) {
    const own = staff.facilitatorId === facilitator.id;
    return {
      held: held.map((request) => ({
        ...request,
        statusLabel: STAFF_STATUS_LABELS[request.status],
        dueDuring: request.dueAt && absenceOn(lastDayOf(request.departmentCode, request.dueAt), facilitator.absences),
      })),
      title: own ? 'Mes absences' : `Absences ${ofPhrase(`${facilitator.firstName} ${facilitator.lastName}`)}`,
      own,
      facilitator,
      pageUrl: absencesPath(facilitator),
      announceWithinDays: ANNOUNCE_WITHIN_DAYS,
      // The facilitator's day, as the form's check and routing count their absences.
      today: this.reference.networkDay(facilitator.networkCode, this.clock.now()),
      notice: noticeOf(NOTICES, done),
      form,
    };
  }

  /** The networks the person may put a facilitator in: an admin's all, an animator's own. */
  networkOptions(staff: StaffPrincipal): Array<{ value: string; label: string }> {
    return this.reference.networkOptions(visibleNetworks(staff));
  }
}
