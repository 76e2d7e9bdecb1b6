import { DemoFacilitatorsService, SeededFacilitator } from '../modules/directory/demo-facilitators.service';
import type { UpsertOutcome } from '../modules/directory/directory.service';
import type { CliCommand } from './cli-context';

const OUTCOMES: Record<UpsertOutcome, string> = { created: 'créé', updated: 'mis à jour', unchanged: 'inchangé' };

/** `demo:seed`: demo facilitators in every network; running it again changes nothing. */
export const demoSeed: CliCommand = async (context, _args, io) => {
  const seeded = await context.get(DemoFacilitatorsService).seed();
  const count = (outcome: UpsertOutcome) => seeded.filter((s) => s.outcome === outcome).length;
  io.stdout.write(
    [
      'Facilitateurs de démonstration (adresses @example.org) :',
      ...seeded.map((s) => `  ${OUTCOMES[s.outcome].padEnd(10)} ${describe(s)}`),
      `Résumé : créés ${count('created')}, mis à jour ${count('updated')}, inchangés ${count('unchanged')}.`,
      '',
    ].join('\n'),
  );
  return 0;
};

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
