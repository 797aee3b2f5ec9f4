/**
 * Third-party secrets at rest (alert-target webhook signing secrets): AES-256-GCM with a key the
 * database never holds, so a dump alone does not reveal them.
 *
 * Stored form: `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts; keyId = first 8 hex of
 * SHA-256 of the key, so a value names the key that sealed it). A box holds a key ring: the
 * current key seals, every key in the ring opens. That makes rotation crash-safe: the ring on
 * disk holds old and new key while the rows are re-sealed, and only then drops the old one.
 *
 * Where the key comes from (`loadKeyRing`):
 * - `SECRET_KEY` (base64 or hex of 32 bytes; required when NODE_ENV=production), with
 *   `SECRET_KEY_PREVIOUS` still opening values sealed before a rotation;
 * - otherwise the file DATA_DIR/secret.key (mode 0600), generated on first use: one key per
 *   line, the current one first. For PostgreSQL too (the key then lives beside the server, not
 *   in the database).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';
const PREFIX = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;

export class SecretKeyError extends Error {}

/** A 32-byte key from base64 (standard or url) or 64 hex digits. @throws SecretKeyError naming `name`. */
export function parseSecretKey(text: string, name = 'SECRET_KEY'): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (!key || key.length !== KEY_BYTES) {
    throw new SecretKeyError(`${name}: must be 32 random bytes as base64 or 64 hex digits (make one with: openssl rand -base64 32)`);
  }
  return key;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  /** `keys[0]` seals; all of them open. */
  constructor(keys: readonly Buffer[]) {
    if (!keys.length) throw new SecretKeyError('a secret box needs at least one key');
    for (const k of keys) if (k.length !== KEY_BYTES) throw new SecretKeyError(`a secret key must be ${KEY_BYTES} bytes`);
    this.keys = new Map(keys.map((k) => [keyIdOf(k), k]));
    this.currentKeyId = keyIdOf(keys[0]!);
  }

  static random(): SecretBox {
    return new SecretBox([randomBytes(KEY_BYTES)]);
  }

  seal(plain: string): string {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.currentKeyId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
  }

  /**
   * The plain text of a sealed value. A value stored before encryption (no prefix) is returned as
   * it is; the store seals those on open.
   * @throws SecretKeyError when the value was sealed with a key this box does not hold, or was altered.
   */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const [keyId, iv, tag, data] = stored.slice(PREFIX.length).split(':');
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (!key || iv === undefined || tag === undefined || data === undefined) {
      throw new SecretKeyError(`a stored secret was sealed with key ${keyId ?? '?'}, which is not configured (SECRET_KEY, SECRET_KEY_PREVIOUS or ${SECRET_KEY_FILE})`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`a stored secret sealed with key ${keyId} does not authenticate (altered, or a different key with the same id)`);
    }
  }

  /** Whether `stored` is sealed with the current key (rotation leaves those alone). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}${this.currentKeyId}:`);
  }
}

export interface KeySource {
  dataDir: string;
  secretKey?: string | null;
  secretKeyPrevious?: string | null;
  /** NODE_ENV=production: SECRET_KEY is required, no key file is generated. */
  production?: boolean;
}

function readKeyFile(file: string): Buffer[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => parseSecretKey(l, `${file} line ${i + 1}`));
}

/** Writes the key file atomically (temp file, fsync, rename) with mode 0600. */
export function writeKeyFile(dataDir: string, keys: readonly Buffer[]): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SECRET_KEY_FILE);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, keys.map((k) => k.toString('base64')).join('\n') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dir = openSync(dataDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** The keys of a deployment, first the current one. @throws SecretKeyError. */
export function loadKeys(source: KeySource): { keys: Buffer[]; from: 'env' | 'file' } {
  if (source.secretKey) {
    const keys = [parseSecretKey(source.secretKey)];
    if (source.secretKeyPrevious) keys.push(parseSecretKey(source.secretKeyPrevious, 'SECRET_KEY_PREVIOUS'));
    return { keys, from: 'env' };
  }
  if (source.production) throw new SecretKeyError('SECRET_KEY: is required when NODE_ENV=production (make one with: openssl rand -base64 32)');
  const file = join(source.dataDir, SECRET_KEY_FILE);
  if (!existsSync(file)) writeKeyFile(source.dataDir, [randomBytes(KEY_BYTES)]);
  return { keys: readKeyFile(file), from: 'file' };
}

export function newSecretKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
