import { AppError } from '../common/errors/app-errors';
import { AccountsService } from '../modules/accounts/accounts.service';
import { StaffAuthService } from '../modules/accounts/staff-auth.service';
import { normalizeEmail } from '../modules/accounts/credentials.policy';
import { STAFF_ROLES, StaffRole } from '../modules/accounts/accounts.types';
import type { CliCommand, CliIo } from './cli-context';

type Options = Record<string, string[]>;

/** `--name value` pairs; a name may repeat (--network a --network b). */
export function parseOptions(args: string[], known: string[]): Options | string {
  const options: Options = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.startsWith('--') ? args[i].slice(2) : '';
    const value = args[i + 1];
    if (!known.includes(name)) return `option inconnue : ${args[i]}`;
    if (value === undefined || value.startsWith('--')) return `valeur manquante après ${args[i]}`;
    (options[name] ??= []).push(value);
  }
  return options;
}

/** A command line it cannot run: the problem and the command's usage, exit code 2. */
export function refuse(io: CliIo, problem: string, usage: string): number {
  io.stderr.write(`${problem}\nUsage : npm run cli -- ${usage}\n`);
  return 2;
}

/** The option that carries each field of an account, for the errors the accounts service gives by field. */
const OPTION_OF_FIELD: Record<string, string> = { firstName: 'first-name', lastName: 'last-name', networkCodes: 'network' };

export const USERS_CREATE_USAGE =
  'users:create --role admin|animator|facilitator --email <adresse> [--first-name <prénom>] [--last-name <nom>] [--network <code>]…';
export const USERS_TOKEN_USAGE = 'users:token --email <adresse> --label <nom du jeton>';

/**
 * `users:create`: the account (the first admin, typically) and a single-use link to set its
 * password, printed rather than mailed. Again for an account without password: a fresh link.
 */
export const usersCreate: CliCommand = async (context, args, io) => {
  const options = parseOptions(args, ['role', 'email', 'first-name', 'last-name', 'network']);
  if (typeof options === 'string') return refuse(io, options, USERS_CREATE_USAGE);
  if (!options.role || !options.email) return refuse(io, '--role et --email sont obligatoires.', USERS_CREATE_USAGE);
  if (!STAFF_ROLES.includes(options.role[0] as StaffRole)) {
    return refuse(io, `--role prend admin, animator ou facilitator (reçu : « ${options.role[0]} »).`, USERS_CREATE_USAGE);
  }
  try {
    const { account, link, created } = await context.get(AccountsService).invite(
      {
        role: options.role[0],
        email: options.email[0],
        firstName: options['first-name']?.[0],
        lastName: options['last-name']?.[0],
        networkCodes: options.network ?? [],
      },
      null,
    );
    if (link === null) {
      io.stdout.write(`Compte animateur existant : ${account.email} ; sa fiche de facilitateur lui est rattachée (rien à envoyer).\n`);
      return 0;
    }
    io.stdout.write(
      [
        `Compte ${created ? 'créé' : 'existant, sans mot de passe'} : ${account.email} (${account.role}${account.networkCodes.length ? `, ${account.networkCodes.join(' ')}` : ''})`,
        'Lien à usage unique pour choisir le mot de passe (valable 7 jours) :',
        link,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Field errors name the option at fault; the API's heading (« La demande contient des erreurs. ») would read oddly here.
    const lines = error.errors.length
      ? error.errors.map((e) => `--${OPTION_OF_FIELD[e.field] ?? e.field} : ${e.message}`)
      : [error.message];
    io.stderr.write(`${lines.join('\n')}\n`);
    return 1;
  }
};

/** `users:token`: a bearer token for the JSON API, printed once. */
export const usersToken: CliCommand = async (context, args, io) => {
  const options = parseOptions(args, ['email', 'label']);
  if (typeof options === 'string') return refuse(io, options, USERS_TOKEN_USAGE);
  const label = options.label?.[0]?.trim() ?? '';
  if (!options.email || !label || label.length > 100) {
    return refuse(io, '--email et --label (100 caractères au plus) sont obligatoires.', USERS_TOKEN_USAGE);
  }
  const account = await context.get(AccountsService).activeAccount(normalizeEmail(options.email[0]));
  if (!account) {
    io.stderr.write('Aucun compte actif n’a cette adresse.\n');
    return 1;
  }
  const token = await context.get(StaffAuthService).createApiToken(account.id, label);
  io.stdout.write(`Jeton « ${label} » pour ${account.email} (affiché une seule fois) :\n${token}\n`);
  return 0;
};
