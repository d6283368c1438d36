/**
 * Tokens at rest in the PostgreSQL store: AES-256-GCM under keys derived from secrets, each
 * ciphertext bound to the row it was written for, so a database dump alone hands out no Timekit
 * access and a ciphertext copied onto another row does not decrypt there.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { TamperedRowError } from './contract.js';

/**
 * What a ciphertext is bound to: the format new ones are written in, and the authenticated data
 * of each format this kind of row ever had (undefined for a format it never had).
 */
export interface TokenBinding {
  format: string;
  rowFor(format: string): string | undefined;
}

/**
 * A record's token is bound to its user and to the plain columns the companion trusts with it: a
 * writer without the secret who points her row at another provider's resource (whose cached
 * widget credential the companion would hand her) or email gets a row that no longer decrypts.
 * NUL never occurs in these values, so the fields cannot be shifted into one another. Format v1,
 * before that binding, bound the token to its user only.
 */
export const recordBinding = (userId: string, resourceId: string, email: string): TokenBinding => ({
  format: 'v2',
  rowFor: (format) => (format === 'v2' ? `record\0${userId}\0${resourceId}\0${email}` : format === 'v1' ? `record ${userId}` : undefined),
});

/**
 * A pending resource's token (in the `pending` column's JSON) is bound to its user and to the
 * pending resource and email: distinct from the record's own, so neither token can stand in for
 * the other, and a pending entry pointed at another resource no longer decrypts.
 */
export const pendingBinding = (userId: string, resourceId: string, email: string): TokenBinding => ({
  format: 'v1',
  rowFor: (format) => (format === 'v1' ? `pending\0${userId}\0${resourceId}\0${email}` : undefined),
});

export const credentialBinding = (resourceId: string, origin: string): TokenBinding => ({
  format: 'v1',
  rowFor: (format) => (format === 'v1' ? `credential ${resourceId} ${origin}` : undefined),
});

/**
 * `<format>.<key id>.<iv>.<ciphertext+tag>`. Each ciphertext names its key, so rows stay readable
 * while the key changes, and its format names what its authenticated data binds, so rows of an
 * earlier release stay readable too.
 */
export class TokenCipher {
  readonly currentKeyId: string;
  private readonly byId: Map<string, Buffer>;

  constructor(secret: string, previous: readonly string[]) {
    const derive = (value: string) => {
      const key = Buffer.from(hkdfSync('sha256', value, 'tk-companion', 'postgres-store token encryption v1', 32));
      return [createHash('sha256').update(key).digest('base64url').slice(0, 8), key] as const;
    };
    const current = derive(secret);
    this.currentKeyId = current[0];
    this.byId = new Map([current, ...previous.map(derive)]);
  }

  hasKey(id: string): boolean {
    return this.byId.has(id);
  }

  /** Encrypts in the binding's current format: the ciphertext decrypts only for the row it was written for. */
  encrypt(plain: string, binding: TokenBinding, keyId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.byId.get(keyId)!, iv).setAAD(Buffer.from(binding.rowFor(binding.format)!));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${binding.format}.${keyId}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  decrypt(text: string, binding: TokenBinding): string {
    const [format = '', id, iv, sealed] = text.split('.');
    const row = binding.rowFor(format);
    if (row === undefined || iv === undefined || sealed === undefined) throw new TamperedRowError('a token in the PostgreSQL store is malformed');
    const key = id === undefined ? undefined : this.byId.get(id);
    if (key === undefined) {
      throw new Error('tk-companion: a token in the PostgreSQL store is encrypted with a key this companion does not have (see previousSecrets)');
    }
    const bytes = Buffer.from(sealed, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(row));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new TamperedRowError('a token in the PostgreSQL store does not authenticate for its row');
    }
  }

  /** The plain token, or null for a ciphertext that fails its integrity check (left as it is). */
  decryptUnlessTampered(text: string, binding: TokenBinding): string | null {
    try {
      return this.decrypt(text, binding);
    } catch (error) {
      if (error instanceof TamperedRowError) return null;
      throw error;
    }
  }

  /** True when `text` is already in the binding's current format under the current key. */
  isCurrent(text: string, binding: TokenBinding): boolean {
    return text.startsWith(`${binding.format}.${this.currentKeyId}.`);
  }
}
