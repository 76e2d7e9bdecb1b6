import { SecretRotationService } from '../modules/secret-rotation/secret-rotation.service';
import type { CliCommand } from './cli-context';

const WHAT = { tracking: 'liens de suivi des demandes', survey: 'liens de questionnaire' } as const;

/**
 * `secret:reseal`: after APP_SECRET changed (the old value in APP_SECRET_PREVIOUS), seals the buyers' links
 * again under the new secret. Exit code 1 when some value opened under none of the secrets given.
 */
export const secretReseal: CliCommand = async (context, _args, io) => {
  const report = await context
    .get(SecretRotationService)
    .resealAll((purpose, read) => io.stderr.write(`${WHAT[purpose]} : ${read} lus…\n`));
  for (const counts of report) {
    io.stdout.write(
      `${WHAT[counts.purpose]} : ${counts.resealed} scellés de nouveau, ${counts.current} déjà sous APP_SECRET, ${counts.unreadable} illisibles.\n`,
    );
  }
  if (report.some((counts) => counts.unreadable > 0)) {
    io.stderr.write(
      'Des valeurs ne s’ouvrent avec aucun des secrets donnés : ajoutez à APP_SECRET_PREVIOUS le secret qui les a scellées, puis relancez.\n',
    );
    return 1;
  }
  return 0;
};
