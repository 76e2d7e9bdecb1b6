import { loadConfig } from '../../config/app-config';
import { OPERATOR_ENV } from '../../../test/support/production-env';
import { capturingLogger } from '../../../test/support/test-app';
import { MailTransport } from './mail-transport';

const PRODUCTION = {
  NODE_ENV: 'production',
  APP_SECRET: 's'.repeat(40),
  PUBLIC_URL: 'https://guichet-vert.example.fr',
  DATABASE_URL: 'postgres://gv@db:5432/gv',
  REDIS_URL: 'redis://cache:6379',
  ...OPERATOR_ENV,
};

const SENDING = { ...PRODUCTION, SMTP_URL: 'smtp://mail.example.fr:587' };
const NO_SMTP = 'aucun ne part';
const DEV_SENDER = 'MAIL_FROM garde son domaine';

describe('MailTransport at boot', () => {
  it.each([
    ['production without SMTP_URL: one warning', PRODUCTION, NO_SMTP, 1],
    ['production with SMTP_URL: none', SENDING, NO_SMTP, 0],
    ['development without SMTP_URL: none (files are the newcomer’s mailbox)', {}, NO_SMTP, 0],
    ['production, the development sender kept: one warning', SENDING, DEV_SENDER, 1],
    ['production, a real sender: none', { ...SENDING, MAIL_FROM: 'Guichet vert <ne-pas-repondre@guichet-vert.fr>' }, DEV_SENDER, 0],
    ['development, the development sender: none', { SMTP_URL: 'smtp://127.0.0.1:1025' }, DEV_SENDER, 0],
  ])('%s', async (_case, env, message, warnings) => {
    const lines: string[] = [];
    const transport = new MailTransport(loadConfig(env), capturingLogger(lines));
    await transport.close();
    const warned = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg.includes(message));
    expect(warned).toHaveLength(warnings);
    for (const entry of warned) expect(entry.level).toBe(40);
  });
});
