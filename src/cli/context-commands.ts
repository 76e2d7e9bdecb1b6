import type { CliCommand } from './cli-context';
import { demoSeed } from './demo-seed.command';
import { facilitatorsImport } from './facilitators-import.command';
import { indicatorsBackfill } from './indicators-backfill.command';
import { MAIL_RESEND_USAGE, mailResend, mailUndelivered } from './mail.command';
import { secretReseal } from './secret-reseal.command';
import { USERS_CREATE_USAGE, USERS_TOKEN_USAGE, usersCreate, usersToken } from './users.command';

/** arity: the exact number of arguments, or 'options' for --name value pairs the command checks itself. */
export interface CommandShape {
  usage: string;
  arity: number | 'options';
}

/** The commands that run in the application's context, once the schema is migrated and reference data loaded. */
export const CONTEXT_COMMANDS: Record<string, CommandShape & { run: CliCommand }> = {
  'facilitators:import': { usage: 'facilitators:import <fichier.csv>', arity: 1, run: facilitatorsImport },
  'demo:seed': { usage: 'demo:seed [--password <mot de passe>]', arity: 'options', run: demoSeed },
  'indicators:backfill': { usage: 'indicators:backfill', arity: 0, run: indicatorsBackfill },
  'mail:undelivered': { usage: 'mail:undelivered', arity: 0, run: mailUndelivered },
  'mail:resend': { usage: MAIL_RESEND_USAGE, arity: 'options', run: mailResend },
  'secret:reseal': { usage: 'secret:reseal', arity: 0, run: secretReseal },
  'users:create': { usage: USERS_CREATE_USAGE, arity: 'options', run: usersCreate },
  'users:token': { usage: USERS_TOKEN_USAGE, arity: 'options', run: usersToken },
};
