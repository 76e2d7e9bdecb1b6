import argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import type { TestApp } from './test-app';

export const STAFF_PASSWORD = 'une-phrase-de-passe-solide';

export interface StaffSeed {
  role: 'facilitator' | 'animator' | 'admin';
  email?: string;
  networks?: string[];
  facilitatorId?: string;
  password?: string | null;
  active?: boolean;
}

let cachedHash: Promise<string> | undefined;

/** Writes a staff account straight into the tables (the default password hashed once per file, argon2 being slow on purpose). */
export async function insertStaff(dataSource: DataSource, seed: StaffSeed): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = seed.email ?? `${seed.role}-${id.slice(0, 8)}@example.org`;
  const password = seed.password === undefined ? STAFF_PASSWORD : seed.password;
  const hash =
    password === null
      ? null
      : password === STAFF_PASSWORD
        ? await (cachedHash ??= argon2.hash(STAFF_PASSWORD))
        : await argon2.hash(password);
  // A facilitator given an account by staffWrites (the author of its messages) keeps it, with the seed's settings.
  const [{ id: saved }]: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO staff_users (id, email, first_name, last_name, role, facilitator_id, password_hash, active) VALUES ($1, $2, 'Sam', 'Essai', $3, $4, $5, $6)
     ON CONFLICT (facilitator_id) WHERE facilitator_id IS NOT NULL
     DO UPDATE SET email = EXCLUDED.email, role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, active = EXCLUDED.active
     RETURNING id`,
    [id, email, seed.role, seed.facilitatorId ?? null, hash, seed.active ?? true],
  );
  for (const network of seed.networks ?? []) {
    await dataSource.query(`INSERT INTO staff_user_networks (user_id, network_code) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      saved,
      network,
    ]);
  }
  return { id: saved, email };
}

/** A tiny cookie jar: what the browser would send back. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair.split('=');
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}

export function csrfIn(html: string): string {
  const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!token) throw new Error('no _csrf field in the page');
  return token;
}

/** A form's hidden field, as the page gives it. */
export function hiddenField(html: string, name: string): string {
  const value = html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
  if (value === undefined) throw new Error(`no ${name} field in the page`);
  return value;
}

/** The fields of `page`'s form posting to `action` (CSRF token, form token, seen state), as the browser sends them back. */
export async function pageFormOf(client: StaffClient, page: string, action: string): Promise<Record<string, string>> {
  const html = await (await client.get(page)).text();
  const form = html.slice(html.indexOf(`action="${action}"`));
  return { _csrf: csrfIn(html), formToken: hiddenField(form, 'formToken'), seenState: hiddenField(form, 'seenState') };
}

/** A browser-like client: keeps cookies, never follows redirects (tests look at them). */
export class StaffClient {
  readonly jar = new CookieJar();

  constructor(private readonly baseUrl: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, { redirect: 'manual', headers: { cookie: this.jar.header(), ...headers } });
    this.jar.store(response);
    return response;
  }

  async post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const v of ([] as string[]).concat(value)) body.append(name, v);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.jar.header(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    this.jar.store(response);
    return response;
  }

  /** A multipart form, as the answer form posts it (with its files). */
  async postMultipart(path: string, form: FormData): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie: this.jar.header() },
    });
    this.jar.store(response);
    return response;
  }

  /** Loads the page, then posts its form with the page's own CSRF token. */
  async submit(pagePath: string, actionPath: string, form: Record<string, string | string[]>): Promise<Response> {
    const page = await this.get(pagePath);
    return this.post(actionPath, { _csrf: csrfIn(await page.text()), ...form });
  }

  signIn(email: string, password = STAFF_PASSWORD, retour?: string): Promise<Response> {
    return this.submit('/connexion', '/connexion', { email, password, ...(retour ? { retour } : {}) });
  }
}

/** An account of that role, signed in on its own client (the sign-in asserted). */
export async function signedInStaff(app: TestApp, seed: StaffSeed): Promise<StaffClient> {
  return (await signedInAccount(app, seed)).client;
}

/** The same with the account's id, and named as pages and refusals will name them when `name` is given. */
export async function signedInAccount(
  app: TestApp,
  seed: StaffSeed,
  name?: { firstName: string; lastName: string },
): Promise<{ client: StaffClient; id: string }> {
  const { id, email } = await insertStaff(app.dataSource, seed);
  if (name) {
    await app.dataSource.query(`UPDATE staff_users SET first_name = $2, last_name = $3 WHERE id = $1`, [id, name.firstName, name.lastName]);
  }
  const client = new StaffClient(app.url);
  expect((await client.signIn(email)).status).toBe(303);
  return { client, id };
}

/** An account of that role and a bearer token for it, as `Authorization` header value. */
export async function bearerFor(app: TestApp, seed: StaffSeed): Promise<string> {
  const { id } = await insertStaff(app.dataSource, seed);
  return `Bearer ${await app.app.get(StaffAuthService).createApiToken(id, 'tests')}`;
}
