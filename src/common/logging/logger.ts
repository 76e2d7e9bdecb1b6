import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * Paths that may hold personal data or secrets are removed wherever they appear; the rest of the
 * code never logs user input, and URLs are logged without their query string (tracking tokens).
 */
const REDACTED_PATHS = [
  'email',
  '*.email',
  'recipient',
  '*.recipient',
  'to',
  '*.to',
  'phone',
  '*.phone',
  'firstName',
  '*.firstName',
  'lastName',
  '*.lastName',
  'buyer',
  '*.buyer',
  'token',
  '*.token',
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '_csrf',
  '*._csrf',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.headers["x-tracking-token"]',
  'req.headers["idempotency-key"]',
];

export function createLogger(level: string, name: string): Logger {
  return pino({
    level,
    name,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, remove: true },
  });
}

/** Nest's own log lines (boot, routes) go through the same JSON logger. */
const NEST_INVENTORY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    // Nest's own start-up inventory (a line per module, controller and route: two hundred of them) is for debugging.
    if (context && NEST_INVENTORY.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace: trace && scrubPersonalData(trace) }, scrubPersonalData(String(message)));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

/**
 * For third-party error texts (SMTP replies quote addresses): masks e-mail addresses and phone numbers — runs of 9
 * digits or more, as a phone number has, so that what an operator needs stays: SMTP codes (`550 5.1.1`), ports, hosts.
 */
export function scrubPersonalData(text: string): string {
  return text
    .replace(/[^\s<>"'@]+@[^\s<>"'@]+\.[^\s<>"'@]+/g, '[adresse masquée]')
    .replace(/\+?\d[\d .-]{7,}\d/g, (run) => (run.replace(/\D/g, '').length >= 9 ? '[numéro masqué]' : run));
}
