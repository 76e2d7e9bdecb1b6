import { loadConfig } from '../../config/app-config';
import { capturingLogger } from '../../../test/support/test-app';
import { MailTransport } from './mail-transport';

const PRODUCTION = {
  NODE_ENV: 'production',
  APP_SECRET: 's'.repeat(40),
  PUBLIC_URL: 'https://guichet-vert.example.fr',
  DATABASE_URL: 'postgres://gv@db:5432/gv',
  REDIS_URL: 'redis://cache:6379',
};

describe('MailTransport at boot', () => {
  it.each([
    ['production without SMTP_URL: one warning', PRODUCTION, 1],
    ['production with SMTP_URL: none', { ...PRODUCTION, SMTP_URL: 'smtp://mail.example.fr:587' }, 0],
    ['development without SMTP_URL: none (files are the newcomer’s mailbox)', {}, 0],
  ])('%s', async (_case, env, warnings) => {
    const lines: string[] = [];
    const transport = new MailTransport(loadConfig(env), capturingLogger(lines));
    await transport.close();
    const warned = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg.includes('aucun ne part'));
    expect(warned).toHaveLength(warnings);
    for (const entry of warned) expect(entry.level).toBe(40);
  });
});

describe('MailTransport at boot: the sender', () => {
  const SENDING = { ...PRODUCTION, SMTP_URL: 'smtp://mail.example.fr:587' };
  it.each([
    ['production, the development sender kept: one warning', SENDING, 1],
    ['production, a real sender: none', { ...SENDING, MAIL_FROM: 'Guichet vert <ne-pas-repondre@guichet-vert.fr>' }, 0],
    ['development, the development sender: none', { SMTP_URL: 'smtp://127.0.0.1:1025' }, 0],
  ])('%s', async (_case, env, warnings) => {
    const lines: string[] = [];
    const transport = new MailTransport(loadConfig(env), capturingLogger(lines));
    await transport.close();
    const warned = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg.includes('MAIL_FROM garde son domaine'));
    expect(warned).toHaveLength(warnings);
  });
});
