import { randomBytes } from 'node:crypto';
import { passwordProblems } from '../modules/accounts/credentials.policy';
import { DemoStaffService } from '../modules/accounts/demo-staff.service';
import { DemoAnswerTemplatesService } from '../modules/answer-templates/demo-answer-templates.service';
import { DemoFacilitatorsService, SeededFacilitator } from '../modules/directory/demo-facilitators.service';
import type { UpsertOutcome } from '../modules/directory/directory.service';
import { DemoRequest, DemoRequestsService } from '../modules/intake/demo-requests.service';
import { KIND_LABELS } from '../modules/requests/request.types';
import type { CliCommand } from './cli-context';
import { parseOptions } from './users.command';

const OUTCOMES: Record<UpsertOutcome, string> = { created: 'créé', updated: 'mis à jour', unchanged: 'inchangé' };

/**
 * `demo:seed [--password …]`: demo facilitators in every network, and their staff accounts (one
 * per demo facilitator, an animator per network, an admin) sharing one password, random unless
 * given, printed once; two answer templates per network; then a demo request per network, routed once the
 * service runs. Running it again creates nothing more (the accounts take the new password).
 */
export const demoSeed: CliCommand = async (context, args, io) => {
  const options = parseOptions(args, ['password']);
  const password = typeof options === 'string' ? undefined : (options.password?.[0] ?? randomBytes(12).toString('base64url'));
  const problem = typeof options === 'string' ? options : passwordProblems(password, '')[0]?.message;
  if (problem) {
    io.stderr.write(`${problem}\nUsage : npm run cli -- demo:seed [--password <mot de passe>]\n`);
    return 2;
  }
  const seeded = await context.get(DemoFacilitatorsService).seed();
  const accounts = await context.get(DemoStaffService).seed(
    seeded.map((s) => s.facilitator.email),
    password!,
  );
  const templates = await context.get(DemoAnswerTemplatesService).seed();
  const requests = await context.get(DemoRequestsService).seed();
  const count = (outcome: UpsertOutcome) => seeded.filter((s) => s.outcome === outcome).length;
  io.stdout.write(
    [
      'Facilitateurs de démonstration (adresses @example.org) :',
      ...seeded.map((s) => `  ${OUTCOMES[s.outcome].padEnd(10)} ${describe(s)}`),
      `Résumé : créés ${count('created')}, mis à jour ${count('updated')}, inchangés ${count('unchanged')}.`,
      '',
      'Comptes de démonstration (connexion sur /connexion) :',
      ...accounts.filter((a) => a.role !== 'facilitator').map((a) => `  ${a.role.padEnd(11)} ${a.email}`),
      '  facilitator chaque adresse de facilitateur ci-dessus',
      `Comptes créés : ${accounts.filter((a) => a.created).length}, déjà présents : ${accounts.filter((a) => !a.created).length}.`,
      `Mot de passe de tous ces comptes (affiché une seule fois) : ${password}`,
      ...replacedPasswordNotice(accounts.filter((a) => !a.created).length),
      '',
      `Modèles de réponse de démonstration (un par type de demande et par réseau, sur /espace/modeles) : ${templates} ajouté(s).`,
      '',
      'Demandes de démonstration (acheteurs @example.org), acheminées dès que le service tourne (npm start) :',
      ...requests.flatMap(describeRequest),
      `Demandes créées : ${requests.filter((r) => r.created).length}, déjà présentes : ${requests.filter((r) => !r.created).length}.`,
      '',
    ].join('\n'),
  );
  return 0;
};

/** A second run sets the password again: those who signed in with the first must be told theirs changed. */
function replacedPasswordNotice(existing: number): string[] {
  if (!existing) return [];
  return [
    `Attention : il remplace celui des ${existing} comptes déjà présents, l’ancien ne fonctionne plus (relancez avec --password <mot de passe> pour le choisir).`,
  ];
}

function describeRequest(r: DemoRequest): string[] {
  const state = r.created ? 'créée' : 'présente';
  return [
    `  ${state.padEnd(10)} ${r.reference} — ${KIND_LABELS[r.kind].toLowerCase()}, département ${r.departmentCode} : ${r.subject}`,
    `             suivi de l’acheteur : ${r.trackingUrl}`,
  ];
}

function describe({ facilitator: f }: SeededFacilitator): string {
  const role =
    f.kind === 'environmental' ? 'conseil environnemental' : f.isCoordinator ? 'coordination clauses sociales' : 'clauses sociales';
  const coverage = f.departmentCodes?.length
    ? `départements ${f.departmentCodes.join(' ')}`
    : f.isCoordinator
      ? 'relais de tout le réseau'
      : 'tout le réseau';
  return `${f.firstName} ${f.lastName} <${f.email}> — ${role}, réseau ${f.networkCode}, ${coverage}`;
}
