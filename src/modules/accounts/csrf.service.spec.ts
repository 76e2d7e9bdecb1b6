import { loadConfig } from '../../config/app-config';
import { CsrfService } from './csrf.service';

const OLD = 'ancien-secret-'.padEnd(40, 'o');
const NEW = 'nouveau-secret-'.padEnd(40, 'n');
const csrf = (env: Record<string, string>) => new CsrfService(loadConfig(env));

describe('CsrfService across a change of APP_SECRET', () => {
  const session = { id: 'session-1' };
  const shownBefore = csrf({ APP_SECRET: OLD }).tokenFor(session.id);

  it('accepts a form shown before the change while the old secret is previous', () => {
    expect(() => csrf({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD }).assertValid(session, shownBefore)).not.toThrow();
  });

  it('refuses it once the old secret is gone', () => {
    expect(() => csrf({ APP_SECRET: NEW }).assertValid(session, shownBefore)).toThrow(expect.objectContaining({ code: 'form_expired' }));
  });

  it('signs new forms with the current secret only', () => {
    const during = csrf({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    expect(during.tokenFor(session.id)).toBe(csrf({ APP_SECRET: NEW }).tokenFor(session.id));
    expect(during.tokenFor(session.id)).not.toBe(shownBefore);
    expect(() => during.assertValid(session, 'forged')).toThrow(expect.objectContaining({ code: 'form_expired' }));
  });
});
