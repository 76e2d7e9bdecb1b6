import 'reflect-metadata';
import { migrateAndSeed } from '../bootstrap';
import { createLogger } from '../common/logging/logger';
import { AppConfig, ConfigError, loadConfig, misspeltEnvironmentKeys, misspeltKeyWarning } from '../config/app-config';
import { CliCommand, createCliContext } from './cli-context';
import { demoSeed } from './demo-seed.command';
import { facilitatorsImport } from './facilitators-import.command';
import { indicatorsBackfill } from './indicators-backfill.command';
import { MAIL_RESEND_USAGE, mailResend, mailUndelivered } from './mail.command';
import { secretReseal } from './secret-reseal.command';
import { USERS_CREATE_USAGE, USERS_TOKEN_USAGE, usersCreate, usersToken } from './users.command';

/** arity: the exact number of arguments, or 'options' for --name value pairs the command checks itself. */
const COMMANDS: Record<string, { usage: string; arity: number | 'options'; run: CliCommand }> = {
  'facilitators:import': { usage: 'facilitators:import <fichier.csv>', arity: 1, run: facilitatorsImport },
  'demo:seed': { usage: 'demo:seed [--password <mot de passe>]', arity: 'options', run: demoSeed },
  'indicators:backfill': { usage: 'indicators:backfill', arity: 0, run: indicatorsBackfill },
  'mail:undelivered': { usage: 'mail:undelivered', arity: 0, run: mailUndelivered },
  'mail:resend': { usage: MAIL_RESEND_USAGE, arity: 'options', run: mailResend },
  'secret:reseal': { usage: 'secret:reseal', arity: 0, run: secretReseal },
  'users:create': { usage: USERS_CREATE_USAGE, arity: 'options', run: usersCreate },
  'users:token': { usage: USERS_TOKEN_USAGE, arity: 'options', run: usersToken },
};

/** `npm run cli -- <command> [arguments]`: migrates and seeds like the service, then runs one task. */
async function main([name = '', ...args]: string[]): Promise<number> {
  const command = COMMANDS[name];
  const usage = `Usage :\n${Object.values(COMMANDS)
    .map((c) => `  npm run cli -- ${c.usage}`)
    .join('\n')}\n(dans l’image Docker : node dist/src/cli/main.js <commande>)\n`;
  if (['--help', '-h', 'help'].includes(name)) {
    process.stdout.write(usage);
    return 0;
  }
  const problem = !name
    ? 'Indiquez une commande.'
    : !command
      ? `Commande inconnue : « ${name} ».`
      : command.arity !== 'options' && args.length !== command.arity
        ? `« ${name} » ${command.arity === 0 ? 'ne prend aucun argument' : `prend ${command.arity} argument${command.arity > 1 ? 's' : ''}`} (reçu : ${args.length}).`
        : null;
  if (problem) {
    process.stderr.write(`${problem}\n${usage}`);
    return 2;
  }
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.report}\n`);
    return 78;
  }
  for (const misspelt of misspeltEnvironmentKeys()) process.stderr.write(`Attention : ${misspeltKeyWarning(misspelt)}\n`);
  // The command's report goes to stdout: only problems are logged there too.
  const logger = createLogger(['error', 'fatal', 'silent'].includes(config.LOG_LEVEL) ? config.LOG_LEVEL : 'warn', 'guichet-vert-cli');
  await migrateAndSeed(config);
  const context = await createCliContext(config, logger);
  try {
    return await command.run(context, args, { stdout: process.stdout, stderr: process.stderr });
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`Échec inattendu : ${error.message}\n`);
    process.exitCode = 1;
  },
);
