import { OPERATOR_ENV } from '../../test/support/production-env';
import { AppConfig, ConfigError, loadConfig } from './app-config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig() accepted the environment');
}

const SECRET = 'x'.repeat(32);

describe('loadConfig', () => {
  it('gives the defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      PUBLIC_URL: 'http://localhost:3000',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/guichet_vert',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_POOL_SIZE: 20,
      INTAKE_RATE_LIMIT: 20,
      TRUST_PROXY: 0,
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'gv',
      RUN_MIGRATIONS: true,
    });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.isProduction).toBe(false);
    // A newcomer's desk says on its privacy and legal notices that it is a demonstration.
    expect(config).toMatchObject({
      OPERATOR_NAME: 'Guichet vert (démonstration)',
      OPERATOR_ADDRESS: 'adresse non renseignée (déploiement de démonstration)',
      DPO_CONTACT: 'dpo@guichet-vert.localhost',
      HOSTING_PROVIDER: 'hébergeur non renseigné (déploiement de démonstration)',
      PUBLICATION_DIRECTOR: 'directeur de la publication non renseigné (déploiement de démonstration)',
    });
  });

  it.each(['dpo@region-exemple.fr', 'https://www.region-exemple.fr/contact-dpo', 'http://intranet.exemple/dpo'])(
    'takes DPO_CONTACT=%s (an address, or the page of a contact form)',
    (value) => {
      expect(loadConfig({ DPO_CONTACT: value }).DPO_CONTACT).toBe(value);
    },
  );

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', PUBLIC_URL: '', LOG_LEVEL: '' })).toMatchObject({
      PORT: 3000,
      PUBLIC_URL: 'http://localhost:3000',
      LOG_LEVEL: 'info',
    });
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ HOME: '/root', PATH: '/bin', FOO: 'bar' })).not.toThrow();
  });

  it('converts numbers and booleans', () => {
    const config = loadConfig({
      PORT: '8080',
      INTAKE_RATE_LIMIT: ' 5 ',
      TRUST_PROXY: '1',
      RUN_MIGRATIONS: 'false',
      DATABASE_POOL_SIZE: '8',
    });
    expect(config).toMatchObject({ PORT: 8080, INTAKE_RATE_LIMIT: 5, TRUST_PROXY: 1, RUN_MIGRATIONS: false, DATABASE_POOL_SIZE: 8 });
    expect(config.PUBLIC_URL).toBe('http://localhost:8080');
  });

  it('reads the URLs it is given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://gv:pw@db:5432/gv',
      REDIS_URL: 'rediss://cache:6380/2',
      SMTP_URL: 'smtp://user:pw@mail:587',
    });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgresql://gv:pw@db:5432/gv',
      REDIS_URL: 'rediss://cache:6380/2',
      SMTP_URL: 'smtp://user:pw@mail:587',
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads RUN_MIGRATIONS=%s as %s', (value, expected) => {
    expect(loadConfig({ RUN_MIGRATIONS: value }).RUN_MIGRATIONS).toBe(expected);
  });

  it('takes a sender address alone or with its name', () => {
    expect(loadConfig({ MAIL_FROM: 'ne-pas-repondre@guichet-vert.example.fr' }).MAIL_FROM).toBe('ne-pas-repondre@guichet-vert.example.fr');
    expect(loadConfig({ MAIL_FROM: 'Guichet vert — Isère <gv@isere.example.fr>' }).MAIL_FROM).toBe(
      'Guichet vert — Isère <gv@isere.example.fr>',
    );
  });

  it('lists every bad key at once', () => {
    const problems = problemsOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', INTAKE_RATE_LIMIT: '0', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(4);
    for (const key of ['PORT', 'DATABASE_URL', 'INTAKE_RATE_LIMIT', 'LOG_LEVEL']) {
      expect(problems.filter((p) => p.startsWith(`${key} :`))).toHaveLength(1);
    }
    // What it should be, once: « abc » is no whole number, whatever the range.
    expect(problems.find((p) => p.startsWith('PORT'))).toBe('PORT : attendu un numéro de port entier (reçu « abc »)');
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT : attendu un port entre 1 et 65535 (reçu « 70000 »)']);
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).toContain('« mysql://x »');
  });

  it('bounds staff sessions by idle minutes and a maximum in hours, the idle time within the maximum', () => {
    expect(loadConfig({})).toMatchObject({ STAFF_SESSION_IDLE_MINUTES: 120, STAFF_SESSION_MAX_HOURS: 12 });
    expect(loadConfig({ STAFF_SESSION_IDLE_MINUTES: '480', STAFF_SESSION_MAX_HOURS: '8' })).toMatchObject({
      STAFF_SESSION_IDLE_MINUTES: 480,
      STAFF_SESSION_MAX_HOURS: 8,
    });
    expect(problemsOf({ STAFF_SESSION_IDLE_MINUTES: '600', STAFF_SESSION_MAX_HOURS: '8' })).toEqual([
      'STAFF_SESSION_IDLE_MINUTES : attendu au plus STAFF_SESSION_MAX_HOURS × 60 (une session finit au plus tard à sa durée maximale)',
    ]);
    expect(problemsOf({ STAFF_SESSION_IDLE_MINUTES: '2', STAFF_SESSION_MAX_HOURS: '200' })).toEqual([
      'STAFF_SESSION_IDLE_MINUTES : attendu au moins 5 (reçu « 2 »)',
      'STAFF_SESSION_MAX_HOURS : attendu au plus 168 (une semaine) (reçu « 200 »)',
    ]);
  });

  it('puts every problem in the error message', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(/^Configuration invalide :\n {2}- /);
    expect((caught as Error).message).toContain('PORT');
    expect((caught as Error).message).toContain('LOG_LEVEL');
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['REDIS_URL', 'http://redis'],
    ['DATABASE_POOL_SIZE', '1'],
    ['DATABASE_POOL_SIZE', '500'],
    ['DATABASE_POOL_SIZE', 'many'],
    ['SMTP_URL', 'mail.example.fr'],
    ['PUBLIC_URL', 'guichet-vert.example.fr'],
    ['PUBLIC_URL', 'ftp://guichet-vert.example.fr'],
    ['PUBLIC_URL', 'https://guichet-vert.example.fr/#accueil'],
    ['PUBLIC_URL', 'https://guichet-vert.example.fr/?source=mail'],
    ['MAIL_FROM', 'abc'],
    ['MAIL_FROM', 'Guichet vert <ne-pas-repondre>'],
    // The envelope takes an address alone: a name would make the SMTP exchange fail.
    ['MAIL_RETURN_PATH', 'Rebonds <rebonds@exemple.fr>'],
    ['MAIL_RETURN_PATH', 'rebonds'],
    ['TRUST_PROXY', '-1'],
    ['QUEUE_PREFIX', 'Guichet Vert'],
    ['OUTBOX_POLL_MS', '10'],
    ['TAKE_CHARGE_WORKING_DAYS', '0'],
    ['ANSWER_WORKING_DAYS', 'ten'],
    // Longer, a digest whose job was lost would wait past the office's day for the sweep.
    ['POOL_ALERT_DIGEST_SECONDS', '14401'],
    ['RUN_MIGRATIONS', 'yes'],
    ['PERSONAL_DATA_RETENTION_YEARS', '0'],
    ['PERSONAL_DATA_RETENTION_YEARS', '11'],
    ['OPERATOR_NAME', 'X'],
    ['OPERATOR_ADDRESS', 'a'.repeat(301)],
    ['HOSTING_PROVIDER', 'h'.repeat(301)],
    ['PUBLICATION_DIRECTOR', 'X'],
    ['PUBLICATION_DIRECTOR', 'd'.repeat(201)],
    ['DPO_CONTACT', 'dpo'],
    ['DPO_CONTACT', 'Délégué <dpo@exemple.fr>'],
    ['DPO_CONTACT', 'ftp://exemple.fr/dpo'],
  ])('refuses %s=%s', (key, value) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${key} : attendu .+ \\(reçu « ${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} »\\)$`));
  });

  it.each([
    ['APP_SECRET', 'too-short', 'too-short', 'une valeur masquée de 9 caractères'],
    ['METRICS_TOKEN', 'short-token', 'short-token', 'une valeur masquée de 11 caractères'],
    ['DATABASE_URL', 'mysql://app:s3cr3t@db:3306/gv', 's3cr3t', '« mysql://app:***@db:3306/gv »'],
    ['SMTP_URL', 'smtpx://mailer:p@ss@smtp.example.fr', 'p@ss', '« smtpx://mailer:***@smtp.example.fr »'],
    ['DATABASE_URL', 'postgres//admin:Sup3rS3cret@db/x', 'Sup3rS3cret', '« postgres//admin:***@db/x »'],
    ['REDIS_URL', 'redis:admin:Sup3rS3cret@host', 'Sup3rS3cret', '« redis:***@host »'],
    ['PUBLIC_URL', 'https://user:Sup3rS3cret@guichet-vert.example.fr', 'Sup3rS3cret', '« https://user:***@guichet-vert.example.fr »'],
  ])('refuses %s without writing the secret it holds', (key, value, secret, shown) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${key} : attendu .+ \\(reçu ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`)),
    ]);
    expect(problems[0]).not.toContain(secret);
  });

  it('takes earlier secrets during a rotation, each of 32 characters at least, and opens with the current one first', () => {
    const old = 'o'.repeat(32);
    expect(loadConfig({ APP_SECRET: SECRET, APP_SECRET_PREVIOUS: ` ${old} , ${'p'.repeat(40)}` }).openingSecrets).toEqual([
      SECRET,
      old,
      'p'.repeat(40),
    ]);
    expect(loadConfig({ APP_SECRET: SECRET }).openingSecrets).toEqual([SECRET]);
    expect(problemsOf({ APP_SECRET_PREVIOUS: `${old},short-old-secret` })).toEqual([
      'APP_SECRET_PREVIOUS : attendu les secrets précédents, séparés par des virgules, chacun d’au moins 32 caractères',
    ]);
  });

  const PRODUCTION = {
    NODE_ENV: 'production',
    APP_SECRET: SECRET,
    PUBLIC_URL: 'https://guichet-vert.example.fr',
    DATABASE_URL: 'postgresql://gv:pw@db:5432/gv',
    REDIS_URL: 'redis://cache:6379',
    ...OPERATOR_ENV,
  };

  // Empty is what docker-compose.yml passes when the shell and its .env leave APP_SECRET unset.
  it.each([[{ APP_SECRET: undefined }], [{ APP_SECRET: '' }]])(
    'refuses production without APP_SECRET (%j)',
    (env: Record<string, string | undefined>) => {
      expect(problemsOf({ ...PRODUCTION, ...env })).toEqual([
        'APP_SECRET : obligatoire en production (au moins 32 caractères aléatoires, par exemple : openssl rand -hex 32)',
      ]);
    },
  );

  // E-mailed links would lead buyers to localhost; an unfilled template variable would reach a local database.
  it.each([
    [
      'PUBLIC_URL',
      undefined,
      'PUBLIC_URL : obligatoire en production (l’adresse publique du service, par exemple https://guichet-vert.exemple.fr : les liens des courriels en partent)',
    ],
    [
      'PUBLIC_URL',
      '',
      'PUBLIC_URL : obligatoire en production (l’adresse publique du service, par exemple https://guichet-vert.exemple.fr : les liens des courriels en partent)',
    ],
    [
      'DATABASE_URL',
      undefined,
      'DATABASE_URL : obligatoire en production (l’URL de la base PostgreSQL, par exemple postgres://utilisateur:motdepasse@hôte:5432/guichet_vert)',
    ],
    [
      'DATABASE_URL',
      '',
      'DATABASE_URL : obligatoire en production (l’URL de la base PostgreSQL, par exemple postgres://utilisateur:motdepasse@hôte:5432/guichet_vert)',
    ],
    ['REDIS_URL', '', 'REDIS_URL : obligatoire en production (l’URL de Redis, par exemple redis://hôte:6379)'],
    // The privacy notice would name a demonstration as the buyers' data controller.
    [
      'OPERATOR_NAME',
      undefined,
      'OPERATOR_NAME : obligatoire en production (l’organisme qui exploite le guichet, responsable du traitement nommé par la page « Données personnelles »)',
    ],
    ['OPERATOR_ADDRESS', '', 'OPERATOR_ADDRESS : obligatoire en production (son adresse postale)'],
    [
      'DPO_CONTACT',
      undefined,
      'DPO_CONTACT : obligatoire en production (l’adresse électronique ou l’URL où écrire à son délégué à la protection des données)',
    ],
    ['HOSTING_PROVIDER', '', 'HOSTING_PROVIDER : obligatoire en production (le nom et l’adresse de l’hébergeur du service)'],
    // The legal notice would name nobody as answering for what the site publishes.
    [
      'PUBLICATION_DIRECTOR',
      undefined,
      'PUBLICATION_DIRECTOR : obligatoire en production (le nom et la fonction du directeur de la publication, que nomme la page « Mentions légales »)',
    ],
  ])('refuses production without %s (%j)', (key, value, problem) => {
    expect(problemsOf({ ...PRODUCTION, [key]: value })).toEqual([problem]);
  });

  it('lists every missing production key at once', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).map((problem) => problem.split(' : ')[0])).toEqual([
      'APP_SECRET',
      'PUBLIC_URL',
      'DATABASE_URL',
      'REDIS_URL',
      'OPERATOR_NAME',
      'OPERATOR_ADDRESS',
      'DPO_CONTACT',
      'HOSTING_PROVIDER',
      'PUBLICATION_DIRECTOR',
    ]);
  });

  it('accepts production with every required key', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.isProduction).toBe(true);
    expect(config.APP_SECRET).toBe(SECRET);
    expect(config.DATABASE_URL).toBe('postgresql://gv:pw@db:5432/gv');
  });

  it.each([
    ['https://guichet-vert.example.fr/', 'https://guichet-vert.example.fr'],
    ['https://guichet-vert.example.fr///', 'https://guichet-vert.example.fr'],
    ['https://example.fr/guichet/', 'https://example.fr/guichet'],
    ['http://localhost:8080', 'http://localhost:8080'],
  ])('reads PUBLIC_URL %s as %s', (value, expected) => {
    expect(loadConfig({ PUBLIC_URL: value }).PUBLIC_URL).toBe(expected);
  });
});
