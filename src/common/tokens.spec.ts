import { hmac, pooledRandomBytes, randomToken, seal, sealFor, sha256, tokenMatches, unseal, unsealFor, unsealForAny } from './tokens';

const SECRET = 'a-server-secret-of-at-least-32-characters!';

describe('seal / unseal', () => {
  it.each([
    ['a short text', 'bonjour'],
    ['an empty text', ''],
    ['accents and emoji', 'Réponse « idempotente » ✅ — été'],
    ['a JSON reply', JSON.stringify({ reference: 'GV-2026-000123', trackingUrl: 'https://x.fr/suivi?t=abc' })],
    ['a long text', 'x'.repeat(100_000)],
  ])('round-trips %s', (_label, plaintext) => {
    const passphrase = randomToken();
    expect(unseal(SECRET, passphrase, seal(SECRET, passphrase, plaintext))).toBe(plaintext);
  });

  it('does not leave the plaintext readable', () => {
    const sealed = seal(SECRET, 'pass', 'GV-2026-000123');
    expect(sealed.toString('latin1')).not.toContain('GV-2026');
    expect(sealed.length).toBe(12 + 16 + 'GV-2026-000123'.length);
  });

  it('uses a fresh IV each time', () => {
    expect(seal(SECRET, 'pass', 'same').equals(seal(SECRET, 'pass', 'same'))).toBe(false);
  });

  it.each([
    ['a wrong passphrase', (s: Buffer) => unseal(SECRET, 'wrong', s)],
    ['a wrong server secret', (s: Buffer) => unseal(`${SECRET}-rotated`, 'right', s)],
    [
      'a tampered body',
      (s: Buffer) => unseal(SECRET, 'right', Buffer.concat([s.subarray(0, 28), Buffer.from([s[28] ^ 1]), s.subarray(29)])),
    ],
    [
      'a tampered tag',
      (s: Buffer) => unseal(SECRET, 'right', Buffer.concat([s.subarray(0, 12), Buffer.from([s[12] ^ 1]), s.subarray(13)])),
    ],
    ['a truncated buffer', (s: Buffer) => unseal(SECRET, 'right', s.subarray(0, 20))],
  ])('throws with %s', (_label, open) => {
    const sealed = seal(SECRET, 'right', 'secret reply');
    expect(() => open(sealed)).toThrow();
  });
});

describe('sealFor / unsealFor', () => {
  const REQUEST_ID = '6f1c2a54-3b1e-4f7a-9c2d-0a1b2c3d4e5f';

  it.each([
    ['a token', randomToken()],
    ['an empty text', ''],
    ['accents', 'été « ok »'],
  ])('round-trips %s', (_label, plaintext) => {
    expect(unsealFor(SECRET, 'tracking', REQUEST_ID, sealFor(SECRET, 'tracking', REQUEST_ID, plaintext))).toBe(plaintext);
  });

  it('does not leave the plaintext readable, and uses a fresh IV each time', () => {
    const sealed = sealFor(SECRET, 'tracking', REQUEST_ID, 'GV-2026-000123');
    expect(sealed.toString('latin1')).not.toContain('GV-2026');
    expect(sealed.length).toBe(12 + 16 + 'GV-2026-000123'.length);
    expect(sealed.equals(sealFor(SECRET, 'tracking', REQUEST_ID, 'GV-2026-000123'))).toBe(false);
  });

  it.each([
    ['another record', (s: Buffer) => unsealFor(SECRET, 'tracking', 'another-id', s)],
    ['another purpose', (s: Buffer) => unsealFor(SECRET, 'survey', REQUEST_ID, s)],
    ['a wrong server secret', (s: Buffer) => unsealFor(`${SECRET}-rotated`, 'tracking', REQUEST_ID, s)],
    [
      'a tampered body',
      (s: Buffer) =>
        unsealFor(SECRET, 'tracking', REQUEST_ID, Buffer.concat([s.subarray(0, 28), Buffer.from([s[28] ^ 1]), s.subarray(29)])),
    ],
    ['a truncated buffer', (s: Buffer) => unsealFor(SECRET, 'tracking', REQUEST_ID, s.subarray(0, 20))],
  ])('throws for %s', (_label, open) => {
    const sealed = sealFor(SECRET, 'tracking', REQUEST_ID, 'secret token');
    expect(() => open(sealed)).toThrow();
  });

  it('still opens a value sealed the earlier way, with a key derived from "purpose:context"', () => {
    const earlier = seal(SECRET, `tracking:${REQUEST_ID}`, 'token kept before');
    expect(unsealFor(SECRET, 'tracking', REQUEST_ID, earlier)).toBe('token kept before');
    expect(() => unsealFor(SECRET, 'tracking', 'another-id', earlier)).toThrow();
  });
});

describe('unsealForAny', () => {
  const REQUEST_ID = '6f1c2a54-3b1e-4f7a-9c2d-0a1b2c3d4e5f';
  const OLD = `${SECRET}-old`;
  const NEW = `${SECRET}-new`;

  it.each([
    ['the current secret', NEW, [NEW, OLD]],
    ['a previous secret', OLD, [NEW, OLD]],
    ['the last of several previous secrets', OLD, [NEW, `${SECRET}-other`, OLD]],
  ])('opens a value sealed under %s', (_label, sealedWith, secrets) => {
    expect(unsealForAny(secrets, 'tracking', REQUEST_ID, sealFor(sealedWith, 'tracking', REQUEST_ID, 'jeton'))).toBe('jeton');
  });

  it('throws for a value none of the secrets sealed, or sealed for another record', () => {
    expect(() => unsealForAny([NEW], 'tracking', REQUEST_ID, sealFor(OLD, 'tracking', REQUEST_ID, 'jeton'))).toThrow();
    expect(() => unsealForAny([NEW, OLD], 'tracking', REQUEST_ID, sealFor(OLD, 'tracking', 'another-id', 'jeton'))).toThrow();
  });
});

describe('tokenMatches', () => {
  const token = randomToken();
  const stored = sha256(token);

  it.each([
    ['the token itself', token, true],
    ['another token', randomToken(), false],
    ['the token with a trailing space', `${token} `, false],
    ['the token in upper case', token.toUpperCase(), false],
    ['an empty string', '', false],
  ])('%s → %s', (_label, presented, expected) => {
    expect(tokenMatches(presented, stored)).toBe(expected);
  });

  it('is false, without throwing, against a stored value of another length', () => {
    expect(tokenMatches(token, stored.subarray(0, 16))).toBe(false);
    expect(tokenMatches(token, Buffer.alloc(0))).toBe(false);
  });
});

describe('randomToken', () => {
  it('is 43 URL-safe characters (256 bits, base64url without padding)', () => {
    for (let i = 0; i < 50; i++) expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is distinct every time', () => {
    const tokens = Array.from({ length: 1000 }, randomToken);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe('pooledRandomBytes', () => {
  it('never hands out the same bytes twice, across many refills of the pool', () => {
    const draws = Array.from({ length: 3000 }, (_, i) => pooledRandomBytes(5 + (i % 40)).toString('hex'));
    expect(new Set(draws).size).toBe(draws.length);
  });

  it('gives buffers of their own: changing one changes nothing drawn later', () => {
    const first = pooledRandomBytes(16);
    first.fill(0);
    expect(pooledRandomBytes(16).equals(Buffer.alloc(16))).toBe(false);
  });

  it('serves a draw larger than the pool', () => {
    expect(pooledRandomBytes(10_000)).toHaveLength(10_000);
  });
});

describe('sha256 / hmac', () => {
  it('sha256 is the usual digest', () => {
    expect(sha256('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hmac depends on the secret and the value', () => {
    expect(hmac('k1', 'v')).toHaveLength(32);
    expect(hmac('k1', 'v').equals(hmac('k1', 'v'))).toBe(true);
    expect(hmac('k1', 'v').equals(hmac('k2', 'v'))).toBe(false);
    expect(hmac('k1', 'v').equals(hmac('k1', 'w'))).toBe(false);
  });
});
