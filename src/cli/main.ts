import 'reflect-metadata';
import type { Logger } from 'pino';
import { createLogger } from '../common/logging/logger';
import { AppConfig, ConfigError, loadConfig, misspeltEnvironmentKeys, misspeltKeyWarning } from '../config/app-config';
import { DatabaseStartFailure, migrateAndSeed, revertMigration } from '../database/migrate-and-seed';
import type { CliCommand } from './cli-context';
import type { CommandShape } from './context-commands';

/** On the schema alone, under the boot's lock: no application context (it would expect the schema migrated). */
type SchemaCommand = (config: AppConfig, logger: Logger) => Promise<void>;

const SCHEMA_COMMANDS: Record<string, CommandShape & { schema: SchemaCommand }> = {
  migrate: { usage: 'migrate', arity: 0, schema: (config, logger) => migrateAndSeed(config, logger, { runMigrations: true }) },
  'migrate:revert': { usage: 'migrate:revert', arity: 0, schema: revertMigration },
};

/**
 * The application's modules are loaded only for a command that needs them: a schema command, run from the image
 * before a rollout, starts in a second rather than several.
 */
const contextCommands = () => import('./context-commands').then((module) => module.CONTEXT_COMMANDS);

/** `npm run cli -- <command> [arguments]`: migrates and seeds like the service, then runs one task. */
async function main([name = '', ...args]: string[]): Promise<number> {
  const command: (CommandShape & ({ schema: SchemaCommand } | { run: CliCommand })) | undefined = Object.hasOwn(SCHEMA_COMMANDS, name)
    ? SCHEMA_COMMANDS[name]
    : (await contextCommands())[name];
  const usage = async () =>
    `Usage :\n${Object.values({ ...SCHEMA_COMMANDS, ...(await contextCommands()) })
      .map((c) => `  npm run cli -- ${c.usage}`)
      .join('\n')}\n(dans l’image Docker : node dist/src/cli/main.js <commande>)\n`;
  if (['--help', '-h', 'help'].includes(name)) {
    process.stdout.write(await usage());
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
    process.stderr.write(`${problem}\n${await usage()}`);
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
  try {
    // A schema command's report is its log lines, as at boot.
    if ('schema' in command) {
      await command.schema(config, createLogger(config.LOG_LEVEL, 'guichet-vert-cli'));
      return 0;
    }
    // The command's report goes to stdout: only problems are logged there too.
    const logger = createLogger(['error', 'fatal', 'silent'].includes(config.LOG_LEVEL) ? config.LOG_LEVEL : 'warn', 'guichet-vert-cli');
    await migrateAndSeed(config);
    const { createCliContext } = await import('./cli-context');
    const context = await createCliContext(config, logger);
    try {
      return await command.run(context, args, { stdout: process.stdout, stderr: process.stderr });
    } finally {
      await context.close();
    }
  } catch (error) {
    if (!(error instanceof DatabaseStartFailure)) throw error;
    process.stderr.write(`${name} impossible : ${error.message}\n`);
    return 1;
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
