/** The connection URL as a log may show it. */
export function withoutPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(adresse illisible)';
  }
}

interface Target {
  host: string;
  port: string;
  user: string;
  database: string;
}

const outOfReach = ({ host, port }: Target) => `${host}:${port} est hors d’atteinte : vérifiez le réseau, et l’hôte de DATABASE_URL`;

/** What to check, by the code pg or the system gives a failed connection; other errors keep their own words. */
const CHECKS: Record<string, (at: Target) => string> = {
  ECONNREFUSED: ({ host, port }) =>
    `PostgreSQL ne répond pas sur ${host}:${port} : vérifiez que le serveur est démarré, et l’hôte et le port de DATABASE_URL`,
  ENOTFOUND: ({ host }) => `l’hôte PostgreSQL « ${host} » est introuvable : vérifiez le nom d’hôte de DATABASE_URL`,
  EAI_AGAIN: ({ host }) =>
    `l’hôte PostgreSQL « ${host} » est introuvable pour l’instant (DNS) : vérifiez le nom d’hôte de DATABASE_URL et le réseau`,
  ETIMEDOUT: ({ host, port }) =>
    `PostgreSQL ne répond pas à temps sur ${host}:${port} : vérifiez le réseau, un pare-feu, et l’hôte et le port de DATABASE_URL`,
  EHOSTUNREACH: outOfReach,
  ENETUNREACH: outOfReach,
  '28P01': ({ host, port, user }) =>
    `PostgreSQL sur ${host}:${port} refuse le mot de passe de l’utilisateur « ${user} » : vérifiez l’utilisateur et le mot de passe de DATABASE_URL`,
  '28000': ({ host, port, user }) =>
    `PostgreSQL sur ${host}:${port} refuse l’utilisateur « ${user} » : vérifiez l’utilisateur de DATABASE_URL et les accès du serveur (pg_hba.conf)`,
  '3D000': ({ host, port, database }) =>
    `la base de données « ${database} » n’existe pas sur ${host}:${port} : corrigez DATABASE_URL, ou créez-la (createdb ${database})`,
};

/** pg's own words when its time limit to connect (connectionTimeoutMillis) ran out, the client's and its pool's: no code. */
const PG_TIMEOUTS = new Set(['timeout expired', 'Connection terminated due to connection timeout']);

/** The code of a failed connection: the system's or the server's, or ETIMEDOUT for pg's own time limit. */
function codeOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === undefined && PG_TIMEOUTS.has(String(message)) ? 'ETIMEDOUT' : String(code);
}

/**
 * One line saying why PostgreSQL could not be reached or refused the connection, and what to check; null for any other
 * error. Node's own for a closed port (an AggregateError, one per address tried) has no message at all.
 */
export function connectionFailure(databaseUrl: string, error: unknown): string | null {
  const check = CHECKS[codeOf(error)];
  if (!check) return null;
  let at: Target = { host: 'localhost', port: '5432', user: '', database: '' };
  try {
    const url = new URL(databaseUrl);
    // pg's own defaults for what the URL leaves out.
    at = {
      host: url.hostname || 'localhost',
      port: url.port || '5432',
      user: decodeURIComponent(url.username) || 'celui du système',
      database: decodeURIComponent(url.pathname.slice(1)),
    };
  } catch {
    // An unreadable URL is shown as such below.
  }
  return `${check(at)} (DATABASE_URL : ${withoutPassword(databaseUrl)})`;
}
