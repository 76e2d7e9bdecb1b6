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
import { megabytesOf } from '../attachments/attachments.service';
import { absenceOn, ANNOUNCE_WITHIN_DAYS } from './absence.policy';
import { FacilitatorDto } from './dto/facilitator.dto';
import { CSV_COLUMNS, CsvColumn, FRENCH_NAMES, ignoredColumnsText } from './facilitator-csv.policy';
import type { ImportReport, RowOutcome } from './facilitator-import.service';
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
    'La fiche est enregistrée et ne reçoit plus de nouvelles demandes. Celles qui n’étaient pas encore prises en charge repartent en attribution ; celles en cours restent à la même personne, à confier à un autre facilitateur depuis leur page si besoin.',
};

/** How many requests given to the absent facilitator, not taken in charge, routing is handing over; null for none. */
function handingOverText(count: number, own: boolean): string | null {
  if (!count) return null;
  const many = count > 1;
  return `${count} demande${many ? 's' : ''} qui ${own ? 'vous' : 'lui'} ${many ? 'étaient confiées' : 'était confiée'} sans être encore prise${many ? 's' : ''} en charge ${many ? 'passent' : 'passe'} à un collègue ou à la réserve du réseau : ${many ? 'leur' : 'sa'} réaffectation est en cours.`;
}

/** A directory in a file: a few hundred lines weigh some tens of kilobytes, and the web request writes them row by row. */
export const IMPORT_MAX_BYTES = 1024 * 1024;

/** « Vérifier le fichier » writes nothing; « Importer » writes the valid rows. */
export type ImportMode = 'check' | 'import';

export interface ImportOutcome {
  mode: ImportMode;
  fileName: string;
  report: ImportReport;
}

/** What each column holds, as the import page explains it. */
const COLUMN_HELP: Record<CsvColumn, string> = {
  email:
    'Adresse électronique du facilitateur : une fiche existante à cette adresse est mise à jour, sinon une fiche est créée. Une seule ligne par adresse.',
  first_name: 'Prénom.',
  last_name: 'Nom.',
  kind: '« environmental » ou « environnement » (conseiller environnemental du guichet vert), « social_clause » ou « clauses sociales » (facilitateur de clauses sociales).',
  network: 'Code du réseau (voir la liste ci-dessous).',
  departements:
    'Codes INSEE des départements couverts, séparés par des espaces, des virgules ou des points-virgules (« 38 73 », « 38, 73 », « 2A » ; « 1 » vaut « 01 »), tous dans le réseau. Vide : tout le réseau.',
  capacity: 'Nombre maximal de demandes ouvertes à la fois, entier de 0 à 200.',
  segments:
    'Segments d’achat d’expertise, par code ou par nom (« catering » ou « Restauration collective » : voir la liste ci-dessous), séparés par des espaces, des virgules ou des points-virgules. Vide : aucun en particulier.',
  coordinator:
    '« yes » ou « no » (ou « oui », « non » ; vide : non) : coordinateur régional de clauses sociales, relais de tout le réseau.',
  organisation:
    'Facultative : l’organisme qui emploie le facilitateur, nommé à l’acheteur (« PLIE du Grand Narbonne », « Maison de l’emploi de Carcassonne »), sur une ligne, 150 caractères au plus. Vide : le réseau. Sans cette colonne, la structure des fiches existantes ne change pas.',
};

/** How each outcome reads in the report, in its table (row) and its counts (one, many): what a check foresees, what an import did. */
const OUTCOME_LABELS: Record<ImportMode, Record<RowOutcome, { row: string; one: string; many: string }>> = {
  check: {
    created: { row: 'à créer', one: 'fiche à créer', many: 'fiches à créer' },
    updated: { row: 'à mettre à jour', one: 'fiche à mettre à jour', many: 'fiches à mettre à jour' },
    unchanged: { row: 'inchangée', one: 'fiche inchangée', many: 'fiches inchangées' },
    rejected: { row: 'rejetée', one: 'ligne rejetée', many: 'lignes rejetées' },
  },
  import: {
    created: { row: 'créée', one: 'fiche créée', many: 'fiches créées' },
    updated: { row: 'mise à jour', one: 'fiche mise à jour', many: 'fiches mises à jour' },
    unchanged: { row: 'inchangée', one: 'fiche inchangée', many: 'fiches inchangées' },
    rejected: { row: 'rejetée', one: 'ligne rejetée', many: 'lignes rejetées' },
  },
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
    // The facilitator's day, as the form's check and routing count their absences.
    const today = this.reference.networkDay(facilitator.networkCode, this.clock.now());
    // Away today, those not taken in charge are no longer theirs: routing hands them over through its queue, maybe not
    // yet done; the page counts them as leaving rather than list them as kept.
    const away = absenceOn(today, facilitator.absences) !== null;
    const kept = held.filter((request) => request.taken || !away);
    const handingOver = handingOverText(held.length - kept.length, own);
    return {
      held: kept.map((request) => ({
        ...request,
        statusLabel: STAFF_STATUS_LABELS[request.status],
        dueDuring: request.dueAt && absenceOn(lastDayOf(request.departmentCode, request.dueAt), facilitator.absences),
      })),
      // Said once: in the confirmation of the absence just saved, else above the list.
      handingOver: done === 'ajout' ? null : handingOver,
      title: own ? 'Mes absences' : `Absences ${ofPhrase(`${facilitator.firstName} ${facilitator.lastName}`)}`,
      own,
      facilitator,
      pageUrl: absencesPath(facilitator),
      announceWithinDays: ANNOUNCE_WITHIN_DAYS,
      today,
      notice: done === 'ajout' && handingOver ? `${NOTICES.ajout} ${handingOver}` : noticeOf(NOTICES, done),
      form,
    };
  }

  /** The import's page: what the file holds, the form, and the report of the file just checked or imported. */
  importPage(staff: StaffPrincipal, form: FormModel, outcome?: ImportOutcome) {
    return {
      title: 'Importer des facilitateurs (CSV)',
      columns: CSV_COLUMNS.map((name) => ({ name, french: FRENCH_NAMES[name], help: COLUMN_HELP[name] })),
      networks: this.networkOptions(staff),
      allNetworks: staff.role === 'admin',
      segments: this.reference.segmentOptions(),
      maxMegabytes: megabytesOf(IMPORT_MAX_BYTES),
      form,
      result: outcome && this.importResult(outcome),
    };
  }

  private importResult(outcome: ImportOutcome) {
    const labels = OUTCOME_LABELS[outcome.mode];
    const { counts } = outcome.report;
    return {
      ...outcome,
      counts: (['created', 'updated', 'unchanged', 'rejected'] as const).map(
        (key) => `${counts[key]} ${counts[key] > 1 ? labels[key].many : labels[key].one}`,
      ),
      rows: outcome.report.rows.map((row) => ({ ...row, label: labels[row.outcome].row })),
      ignoredColumns: ignoredColumnsText(outcome.report.ignoredColumns),
    };
  }

  /** The model file: the header and one row that the person's own import would take (their network, one of its départements). */
  importModel(staff: StaffPrincipal): string {
    const network = this.networkOptions(staff).find((option) => this.reference.departmentsOf(option.value).length > 0)?.value ?? '';
    const example: Record<CsvColumn, string> = {
      email: 'camille.martin@exemple.fr',
      first_name: 'Camille',
      last_name: 'Martin',
      kind: 'environmental',
      network,
      departements: this.reference.departmentsOf(network)[0]?.code ?? '',
      capacity: '10',
      segments: this.reference.segmentOptions()[0]?.value ?? '',
      coordinator: 'non',
      // A conseiller of the network itself: no structure of its own.
      organisation: '',
    };
    // BOM and semicolons: French Excel opens it in columns, accents and all.
    return `\uFEFF${CSV_COLUMNS.join(';')}\r\n${CSV_COLUMNS.map((column) => example[column]).join(';')}\r\n`;
  }

  /** The networks the person may put a facilitator in: an admin's all, an animator's own. */
  networkOptions(staff: StaffPrincipal): Array<{ value: string; label: string }> {
    return this.reference.networkOptions(visibleNetworks(staff));
  }
}
