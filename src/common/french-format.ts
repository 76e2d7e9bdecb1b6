import type { Environment } from 'nunjucks';

const PARIS_DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });
const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

/** Dates and numbers as French readers expect them, in pages and e-mails alike. */
export function addFrenchFilters(env: Environment): Environment {
  env.addFilter('frDate', (value: string | Date) => (value ? PARIS_DATE.format(new Date(value)) : ''));
  env.addFilter('frDateTime', (value: string | Date) => (value ? PARIS_DATE_TIME.format(new Date(value)) : ''));
  // A time limit says its time zone, as tender notices do: read overseas as local time, it would be hours off.
  env.addFilter('frDeadline', (value: string | Date) => (value ? `${PARIS_DATE_TIME.format(new Date(value))} (heure de Paris)` : ''));
  env.addFilter('frNumber', (value: number | string | null | undefined) =>
    value === null || value === undefined || value === '' ? '' : Number(value).toLocaleString('fr-FR'),
  );
  return env;
}
