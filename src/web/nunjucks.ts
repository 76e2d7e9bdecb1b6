import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';

const PARIS_DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });
const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

/** The shared layout lives in web/views; each feature module keeps its pages in its own views/ folder. */
export function viewFolders(): string[] {
  const modules = join(__dirname, '..', 'modules');
  const moduleViews = readdirSync(modules)
    .map((name) => join(modules, name, 'views'))
    .filter((folder) => existsSync(folder));
  return [join(__dirname, 'views'), ...moduleViews];
}

/** Autoescape is on for every page: user text is always shown as typed, never as markup. */
export function configureViews(app: NestExpressApplication, production: boolean): nunjucks.Environment {
  const env = nunjucks.configure(viewFolders(), { autoescape: true, express: app, noCache: !production, throwOnUndefined: false });
  env.addFilter('frDate', (value: string | Date) => (value ? PARIS_DATE.format(new Date(value)) : ''));
  env.addFilter('frDateTime', (value: string | Date) => (value ? PARIS_DATE_TIME.format(new Date(value)) : ''));
  env.addFilter('frNumber', (value: number | string) =>
    value === null || value === undefined || value === '' ? '' : Number(value).toLocaleString('fr-FR'),
  );
  app.setViewEngine('njk');
  return env;
}
