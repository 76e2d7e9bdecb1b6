import { afterFailure, MAIL_RETRY_HOURS } from './mail-retry.policy';

const QUEUED = new Date('2026-12-01T10:00:00Z');
const later = (hours: number) => new Date(QUEUED.getTime() + hours * 3_600_000);
// As nodemailer reports a reply: its code and the command it answered.
const smtp = (responseCode: number, command: string) => Object.assign(new Error(`${responseCode} refused`), { responseCode, command });
const network = (code: string) => Object.assign(new Error(code), { code });

describe('afterFailure', () => {
  it.each([
    ['550 unknown user, at once', smtp(550, 'RCPT TO'), 0, { retry: false, why: 'permanent' }],
    ['554 message refused after DATA', smtp(554, 'DATA'), 1, { retry: false, why: 'permanent' }],
    ['451 try again later', smtp(451, 'DATA'), 1, { retry: true }],
    ['421 service closing', smtp(421, 'CONN'), 47, { retry: true }],
    // The desk's setup, wrong for every message until mended: kept.
    ['535 login refused (a wrong password in SMTP_URL)', smtp(535, 'AUTH PLAIN'), 0, { retry: true }],
    ['550 sender not allowed (MAIL_FROM)', smtp(550, 'MAIL FROM'), 0, { retry: true }],
    ['554 connection refused at the greeting', smtp(554, 'CONN'), 0, { retry: true }],
    ['a 5xx whose command is unknown', Object.assign(new Error('550'), { responseCode: 550 }), 0, { retry: true }],
    ['the login still refused past the retry time', smtp(535, 'AUTH LOGIN'), MAIL_RETRY_HOURS, { retry: false, why: 'expired' }],
    ['a connection refused', network('ECONNREFUSED'), 3, { retry: true }],
    ['a connection cut after DATA', network('ECONNRESET'), 0, { retry: true }],
    ['a timeout', network('ETIMEDOUT'), 12, { retry: true }],
    ['no error object at all', undefined, 1, { retry: true }],
    ['a passing trouble past the retry time', smtp(451, 'RCPT TO'), MAIL_RETRY_HOURS, { retry: false, why: 'expired' }],
    ['a refused connection past it', network('ECONNREFUSED'), MAIL_RETRY_HOURS + 5, { retry: false, why: 'expired' }],
  ])('%s', (_label, error, hours, verdict) => {
    expect(afterFailure(error, QUEUED, later(hours))).toEqual(verdict);
  });
});
