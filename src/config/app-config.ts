import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidateIf,
} from 'class-validator';
import { MisspeltKey, misspeltKeys } from './misspelt-keys.policy';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

const DEV_SECRET = 'dev-only-secret-change-me-in-production-0000';
/** An e-mail address alone, as an SMTP envelope takes it. */
const ADDRESS = /[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+/.source;
/** An e-mail address, alone or as « Name <address> ». */
const MAILBOX = new RegExp(`^(?:[^<>@]*<${ADDRESS}>|${ADDRESS})$`);

/**
 * Every setting the service reads, with its default. Built once from the environment;
 * a bad value stops the boot with the list of every bad key (see loadConfig).
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'], { message: 'development, production ou test' })
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt({ message: 'un numéro de port entier' })
  @Min(1, { message: 'un port entre 1 et 65535' })
  @Max(65535, { message: 'un port entre 1 et 65535' })
  PORT = 3000;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'une URL postgres://utilisateur@hôte:port/base' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/guichet_vert';

  /**
   * PostgreSQL connections each process may open (with `npm start`, each of its two threads): size
   * the server's max_connections for (api instances + worker instances) × this, plus a margin.
   */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de connexions' })
  @Min(2, { message: 'au moins 2 (les dépôts partagent deux écritures en cours)' })
  @Max(200, { message: 'au plus 200' })
  DATABASE_POOL_SIZE = 20;

  @Matches(/^rediss?:\/\/.+/, { message: 'une URL redis://hôte:port[/base]' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Empty: messages are written as .eml files under MAIL_DIR instead of being sent. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'une URL smtp://[utilisateur:motdepasse@]hôte:port ou vide' })
  SMTP_URL?: string;

  @Matches(MAILBOX, {
    message: 'une adresse d’expéditeur, par exemple "Guichet vert <ne-pas-repondre@exemple.fr>" ou ne-pas-repondre@exemple.fr',
  })
  MAIL_FROM = 'Guichet vert <ne-pas-repondre@guichet-vert.localhost>';

  /** Where receiving servers return what they accept and cannot deliver later (the envelope's sender); MAIL_FROM's address if empty. */
  @ValidateIf((config: AppConfig) => config.MAIL_RETURN_PATH !== '')
  @Matches(new RegExp(`^${ADDRESS}$`), { message: 'une adresse seule, lue par quelqu’un, par exemple rebonds@exemple.fr' })
  MAIL_RETURN_PATH = '';

  @IsString()
  MAIL_DIR = 'var/mail';

  @ValidateIf((config: AppConfig) => config.PUBLIC_URL !== '')
  @IsUrl(
    // Links in e-mails are built on it: a scheme a browser opens, and nothing a link would carry to everyone (credentials).
    {
      protocols: ['http', 'https'],
      require_protocol: true,
      require_tld: false,
      disallow_auth: true,
      allow_fragments: false,
      allow_query_components: false,
    },
    { message: 'une URL http(s) absolue, sans identifiants, paramètres ni ancre, par exemple https://guichet-vert.exemple.fr' },
  )
  PUBLIC_URL = '';

  /** Keys HMACs and the encryption of idempotent replies; must be set in production. */
  @IsString()
  @MinLength(32, { message: 'une chaîne secrète d’au moins 32 caractères' })
  APP_SECRET = DEV_SECRET;

  /**
   * Earlier values of APP_SECRET, comma-separated, during a rotation: what they sealed or signed still opens,
   * everything new uses APP_SECRET (README, "Changing APP_SECRET").
   */
  @IsString()
  APP_SECRET_PREVIOUS = '';

  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de demandes par heure' })
  @Min(1, { message: 'au moins 1' })
  INTAKE_RATE_LIMIT = 20;

  /**
   * Set: GET /metrics asks for `Authorization: Bearer <this>` (any other answer: 404), for a platform
   * where the api's port faces the Internet. Empty: open, for a scraper on a private network.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'un jeton d’au moins 32 caractères, ou vide' })
  METRICS_TOKEN?: string;

  /** Express "trust proxy" hop count: 0 when the api faces clients directly. */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de proxys de confiance (0 sans proxy)' })
  @Min(0, { message: '0 ou plus' })
  TRUST_PROXY = 0;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'fatal, error, warn, info, debug, trace ou silent',
  })
  LOG_LEVEL = 'info';

  @Matches(/^[a-z0-9_-]{1,32}$/, { message: 'un préfixe court en minuscules (lettres, chiffres, - ou _)' })
  QUEUE_PREFIX = 'gv';

  @Transform(toInt)
  @IsInt({ message: 'un délai entier en millisecondes' })
  @Min(50, { message: 'au moins 50 ms' })
  OUTBOX_POLL_MS = 200;

  /** How long a worker holds a job before another may take it over if the first one died. */
  @Transform(toInt)
  @IsInt({ message: 'un délai entier en millisecondes' })
  @Min(1000, { message: 'au moins 1000 ms' })
  WORKER_LOCK_MS = 30000;

  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de jours ouvrés' })
  @Min(1, { message: 'au moins 1' })
  TAKE_CHARGE_WORKING_DAYS = 2;

  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de jours ouvrés' })
  @Min(1, { message: 'au moins 1' })
  ANSWER_WORKING_DAYS = 10;

  /**
   * Requests that fall into a network's pool, or miss their take-charge deadline again, are announced together (one
   * digest each), at most once per this many seconds. At most 4 hours: a digest whose job was lost goes once the office
   * has been open a whole period (lostDigestGoesAt), which must fit in its 8-hour day.
   */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de secondes' })
  @Min(1, { message: 'au moins 1' })
  @Max(14_400, { message: 'au plus 14400 (4 heures)' })
  POOL_ALERT_DIGEST_SECONDS = 900;

  /** The buyer may reply to an answer for this long; without a reply, the request closes by itself. */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de jours ouvrés' })
  @Min(1, { message: 'au moins 1' })
  REPLY_WINDOW_WORKING_DAYS = 10;

  /** Changes to a request within this delay reach the buyer as one e-mail. */
  @Transform(toInt)
  @IsInt({ message: 'un délai entier en secondes' })
  @Min(1, { message: 'au moins 1 seconde' })
  BUYER_MAIL_DEBOUNCE_SECONDS = 120;

  /** The satisfaction survey leaves this many days after a request closes as answered. */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de jours' })
  @Min(0, { message: 'au moins 0' })
  SURVEY_SATISFACTION_DELAY_DAYS = 3;

  /** The impact survey leaves this many months after closure, once the contract may exist. */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de mois' })
  @Min(1, { message: 'au moins 1' })
  @Max(36, { message: 'au plus 36' })
  SURVEY_IMPACT_DELAY_MONTHS = 6;

  /** One reminder this many days after an unanswered survey was sent. */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de jours' })
  @Min(1, { message: 'au moins 1' })
  SURVEY_REMINDER_DAYS = 14;

  /** A survey's link, and editing its answers, end this many days after it was sent (after the reminder). */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de jours' })
  @Min(2, { message: 'au moins 2' })
  SURVEY_EXPIRY_DAYS = 60;

  /** Years after a request's closure before the buyer's personal data and the conversation are erased (the privacy notice says it). */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier d’années' })
  @Min(1, { message: 'au moins 1' })
  @Max(10, { message: 'au plus 10' })
  PERSONAL_DATA_RETENTION_YEARS = 3;

  /**
   * Who answers for the buyers' data, where to write to its data protection officer, and who hosts the service: the privacy
   * notice names them (RGPD, article 13). The defaults say a demonstration; production requires real ones.
   */
  @MinLength(2, { message: 'le nom de l’organisme qui exploite le guichet' })
  @MaxLength(200, { message: 'au plus 200 caractères' })
  OPERATOR_NAME = 'Guichet vert (démonstration)';

  @MinLength(2, { message: 'l’adresse postale de l’organisme qui exploite le guichet' })
  @MaxLength(300, { message: 'au plus 300 caractères' })
  OPERATOR_ADDRESS = 'adresse non renseignée (déploiement de démonstration)';

  @Matches(new RegExp(`^(?:${ADDRESS}|https?://\\S+)$`), {
    message: 'l’adresse électronique du délégué à la protection des données (dpo@exemple.fr) ou l’URL https:// de son formulaire',
  })
  DPO_CONTACT = 'dpo@guichet-vert.localhost';

  @MinLength(2, { message: 'le nom et l’adresse de l’hébergeur' })
  @MaxLength(300, { message: 'au plus 300 caractères' })
  HOSTING_PROVIDER = 'hébergeur non renseigné (déploiement de démonstration)';

  /** The legal notice names who answers for what the site publishes (loi pour la confiance dans l’économie numérique). */
  @MinLength(2, { message: 'le nom et la fonction du directeur de la publication' })
  @MaxLength(200, { message: 'au plus 200 caractères' })
  PUBLICATION_DIRECTOR = 'directeur de la publication non renseigné (déploiement de démonstration)';

  /** The dashboard's alerts (a closed quarter, slow to change) are counted again after this many seconds; 0: every time. */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de secondes' })
  @Min(0, { message: 'au moins 0' })
  @Max(86_400, { message: 'au plus 86400 (un jour)' })
  INDICATORS_ALERTS_CACHE_SECONDS = 300;

  /**
   * A staff session ends this many minutes after its last recorded use (use is recorded at most every quarter of it, and
   * at most hourly: a 2 h session may end 1 h 30 after the last page), and STAFF_SESSION_MAX_HOURS after sign-in whatever
   * the activity. ANSSI's guidance on authentication asks for both bounds, set from the risk: password-only accounts
   * reading buyers’ personal data on office computers. 2 h idle keeps a lunch break or a meeting, not an afternoon
   * away from an unlocked screen; 12 h is one working day: one sign-in a day, never a week-old session.
   */
  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de minutes' })
  @Min(5, { message: 'au moins 5' })
  @Max(24 * 60, { message: 'au plus 1440 (un jour)' })
  STAFF_SESSION_IDLE_MINUTES = 120;

  @Transform(toInt)
  @IsInt({ message: 'un nombre entier d’heures' })
  @Min(1, { message: 'au moins 1' })
  @Max(7 * 24, { message: 'au plus 168 (une semaine)' })
  STAFF_SESSION_MAX_HOURS = 12;

  /** Per file; the bytes are kept in PostgreSQL. */
  @Transform(toInt)
  @IsInt({ message: 'une taille entière en octets' })
  @Min(1024, { message: 'au moins 1024 octets' })
  @Max(50 * 1024 * 1024, { message: 'au plus 50 Mo (52428800 octets) : les fichiers sont gardés dans PostgreSQL' })
  ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

  @Transform(toInt)
  @IsInt({ message: 'un nombre entier de fichiers' })
  @Min(1, { message: 'au moins 1' })
  @Max(20, { message: 'au plus 20' })
  ATTACHMENTS_PER_MESSAGE = 5;

  @Transform(toBool)
  @IsBoolean({ message: 'true ou false' })
  RUN_MIGRATIONS = true;

  /** The secrets that open sealed values and check signatures: APP_SECRET first, then the earlier ones. */
  get openingSecrets(): readonly string[] {
    return [this.APP_SECRET, ...previousSecrets(this.APP_SECRET_PREVIOUS)];
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

/** Keys whose value is a secret: a bad one is described, never echoed (boot errors reach the logs). */
const SECRET_KEYS = new Set(['APP_SECRET', 'APP_SECRET_PREVIOUS', 'METRICS_TOKEN']);

function received(key: string, value: string): string {
  if (SECRET_KEYS.has(key)) return `une valeur masquée de ${value.length} caractères`;
  // A connection URL may carry a password (up to its last @: one typed unencoded may hold an @ itself).
  const masked = value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):.*@/i, '$1:***@');
  // A mistyped one (« postgres//admin:secret@db ») too: everything from its first colon to its last @.
  return `« ${masked === value ? value.replace(/:.*@/, ':***@') : masked} »`;
}

function previousSecrets(list: string): string[] {
  return list
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
}

/**
 * Left to their defaults in production, links e-mailed to buyers would lead to localhost, an empty URL (a deployment
 * template whose variable was not filled) would quietly reach a database or Redis on the same host, and the privacy
 * notice and the legal notice would name a demonstration as the buyers' data controller and the site's publisher.
 */
const REQUIRED_IN_PRODUCTION: Record<string, string> = {
  PUBLIC_URL: 'l’adresse publique du service, par exemple https://guichet-vert.exemple.fr : les liens des courriels en partent',
  DATABASE_URL: 'l’URL de la base PostgreSQL, par exemple postgres://utilisateur:motdepasse@hôte:5432/guichet_vert',
  REDIS_URL: 'l’URL de Redis, par exemple redis://hôte:6379',
  OPERATOR_NAME: 'l’organisme qui exploite le guichet, responsable du traitement nommé par la page « Données personnelles »',
  OPERATOR_ADDRESS: 'son adresse postale',
  DPO_CONTACT: 'l’adresse électronique ou l’URL où écrire à son délégué à la protection des données',
  HOSTING_PROVIDER: 'le nom et l’adresse de l’hébergeur du service',
  PUBLICATION_DIRECTOR: 'le nom et la fonction du directeur de la publication, que nomme la page « Mentions légales »',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  /** What every entry point (service, CLI, migrations) prints before exiting with 78: the bad keys, then where to read. */
  get report(): string {
    return `${this.message}\nVoir .env.example pour la liste des variables.`;
  }
}

/** What a bad value should have been: its type when that is what fails (« abc » is no port, whatever its range), each rule once. */
function expected(constraints: Record<string, string>): string {
  return constraints.isInt ?? [...new Set(Object.values(constraints))].join(' ; ');
}

/** The process's environment, completed by a `.env` file in the working directory if there is one (see .env.example). */
function environment(): NodeJS.ProcessEnv {
  // What the environment sets wins over the file; tests configure themselves, whatever a developer's .env says.
  if (process.env.NODE_ENV !== 'test' && existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** The environment's variables that look like the service's mistyped (their value is not read), with the one meant. */
export function misspeltEnvironmentKeys(env: NodeJS.ProcessEnv = process.env): MisspeltKey[] {
  return misspeltKeys(Object.keys(env), Object.keys(new AppConfig()));
}

/** What to tell whoever started the service about a mistyped variable; never its value, which may be a secret. */
export function misspeltKeyWarning({ key, meant }: MisspeltKey): string {
  return `variable d’environnement ${key} inconnue, sa valeur n’est pas lue : vouliez-vous dire ${meant} ? (si elle sert à un autre programme, ignorez ce message)`;
}

export function loadConfig(env: NodeJS.ProcessEnv = environment()): AppConfig {
  const known = Object.keys(new AppConfig());
  const provided = Object.fromEntries(known.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]));
  const config = plainToInstance(AppConfig, provided);
  const problems = validateSync(config).map(
    (error) =>
      `${error.property} : attendu ${expected(error.constraints ?? {})} (reçu ${received(error.property, String(env[error.property] ?? ''))})`,
  );
  if (config.isProduction && config.APP_SECRET === DEV_SECRET) {
    problems.push('APP_SECRET : obligatoire en production (au moins 32 caractères aléatoires, par exemple : openssl rand -hex 32)');
  }
  if (config.isProduction) {
    for (const [key, why] of Object.entries(REQUIRED_IN_PRODUCTION)) {
      if (!env[key]) problems.push(`${key} : obligatoire en production (${why})`);
    }
  }
  if (previousSecrets(config.APP_SECRET_PREVIOUS).some((secret) => secret.length < 32)) {
    problems.push('APP_SECRET_PREVIOUS : attendu les secrets précédents, séparés par des virgules, chacun d’au moins 32 caractères');
  }
  if (config.STAFF_SESSION_IDLE_MINUTES > config.STAFF_SESSION_MAX_HOURS * 60) {
    problems.push(
      'STAFF_SESSION_IDLE_MINUTES : attendu au plus STAFF_SESSION_MAX_HOURS × 60 (une session finit au plus tard à sa durée maximale)',
    );
  }
  if (config.SURVEY_REMINDER_DAYS >= config.SURVEY_EXPIRY_DAYS) {
    problems.push('SURVEY_REMINDER_DAYS : attendu moins de jours que SURVEY_EXPIRY_DAYS (la relance part avant l’expiration)');
  }
  if (problems.length) throw new ConfigError(problems);
  if (!config.PUBLIC_URL) config.PUBLIC_URL = `http://localhost:${config.PORT}`;
  config.PUBLIC_URL = config.PUBLIC_URL.replace(/\/+$/, '');
  return config;
}
