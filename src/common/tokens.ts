import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Each call to the system's generator also costs a system call (OpenSSL checks the pid), which
 * took 4 % of the api's time at full intake: bytes are drawn 4 KiB at a time, as Node's own
 * randomUUID does, each handed out once and copied out of the pool.
 */
const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomPoolOffset = 0;

export function pooledRandomBytes(size: number): Buffer {
  if (randomPoolOffset + size > randomPool.length) {
    randomPool = randomBytes(Math.max(RANDOM_POOL_BYTES, size));
    randomPoolOffset = 0;
  }
  const bytes = Buffer.from(randomPool.subarray(randomPoolOffset, randomPoolOffset + size));
  randomPoolOffset += size;
  return bytes;
}

/** 256 bits of randomness, URL-safe. */
export function randomToken(): string {
  return pooledRandomBytes(32).toString('base64url');
}

/** A one-time form token as `randomToken` makes them (a page's forms send one back to be told apart). */
export function isFormToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

export function hmac(secret: string, value: string): Buffer {
  return createHmac('sha256', secret).update(value).digest();
}

/** Compares a presented token with a stored hash without leaking timing. */
export function tokenMatches(token: string, storedHash: Buffer): boolean {
  const presented = sha256(token);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}

function sealingKey(secret: string, passphrase: string): Buffer {
  return Buffer.from(hkdfSync('sha256', passphrase, secret, 'guichet-vert/seal', 32));
}

/** AES-256-GCM with a key derived from the server secret and a client-held passphrase. */
export function seal(secret: string, passphrase: string, plaintext: string): Buffer {
  return encrypt(sealingKey(secret, passphrase), plaintext);
}

export function unseal(secret: string, passphrase: string, sealed: Buffer): string {
  return decrypt(sealingKey(secret, passphrase), sealed);
}

/**
 * Keys of `sealFor`, one per secret and purpose. Deriving a key for every value, as `seal` does,
 * took 5 % of the api's time at full intake; a context that is no secret needs no key of its own.
 */
const purposeKeys = new Map<string, Buffer>();

function purposeKey(secret: string, purpose: string): Buffer {
  const id = `${purpose}\0${secret}`;
  let key = purposeKeys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, '', `guichet-vert/seal-for/${purpose}`, 32));
    purposeKeys.set(id, key);
  }
  return key;
}

/**
 * Seals a value kept by the server for one record (`context`, e.g. a request id): AES-256-GCM under
 * the purpose's key, the context authenticated with it, so the value opens for that record only.
 */
export function sealFor(secret: string, purpose: string, context: string, plaintext: string): Buffer {
  return encrypt(purposeKey(secret, purpose), plaintext, context);
}

export function unsealFor(secret: string, purpose: string, context: string, sealed: Buffer): string {
  try {
    return decrypt(purposeKey(secret, purpose), sealed, context);
  } catch (error) {
    // Values sealed before sealFor existed used a key derived from "purpose:context".
    try {
      return unseal(secret, `${purpose}:${context}`, sealed);
    } catch {
      throw error;
    }
  }
}

/**
 * `unsealFor` with each of `secrets` in turn: the current secret first, then the earlier ones a rotation still
 * accepts (APP_SECRET_PREVIOUS), so a value sealed before the rotation keeps opening until it is sealed again.
 */
export function unsealForAny(secrets: readonly string[], purpose: string, context: string, sealed: Buffer): string {
  const [current, ...earlier] = secrets;
  try {
    return unsealFor(current, purpose, context, sealed);
  } catch (error) {
    for (const secret of earlier) {
      try {
        return unsealFor(secret, purpose, context, sealed);
      } catch {
        // sealed under none of the secrets tried so far
      }
    }
    throw error;
  }
}

function encrypt(key: Buffer, plaintext: string, context?: string): Buffer {
  const iv = pooledRandomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer, context?: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

/** A stable UUID (version 4 layout) named by a digest: the same name always gives the same id. */
export function uuidFromDigest(digest: Buffer): string {
  const hex = digest.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
