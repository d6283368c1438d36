/**
 * The statements both SQL stores share, written once with `@name` placeholders (SQLite takes them
 * as they are, the PostgreSQL driver turns them into `$n`) and a table prefix, plus the mapping
 * from their rows. Each race is settled by one statement on one row: a unique-key insert, or
 * `INSERT … ON CONFLICT DO UPDATE … WHERE`. The records differ (SQLite keeps each as JSON,
 * PostgreSQL in columns with its token encrypted), so each driver writes its own.
 */
import type { CachedCredential, PendingResource, TimekitRecord } from './contract.js';

/** Bound by name: `{ id, expiresAt }`, `{ resourceId, origin, … }`, `{ key, windowStart, windowEnd }`, `{ now }`. */
export function sharedStatements(tablePrefix: string) {
  const nonces = `${tablePrefix}nonces`;
  const credentials = `${tablePrefix}credentials`;
  const hits = `${tablePrefix}hits`;
  return {
    burnNonce: `INSERT INTO ${nonces} (id, expires_at) VALUES (@id, @expiresAt) ON CONFLICT DO NOTHING`,
    readCredential: `SELECT credential_id, token, expires_at, renew_at FROM ${credentials} WHERE resource_id = @resourceId AND origin = @origin`,
    // The row is claimed only when no claim is live and the cached credential (if any) is due for
    // renewal; a second claimer waits for the first's row lock, then finds the claim live.
    claimCredential: `
      INSERT INTO ${credentials} (resource_id, origin, claim_until) VALUES (@resourceId, @origin, @until)
      ON CONFLICT (resource_id, origin) DO UPDATE SET claim_until = excluded.claim_until
      WHERE ${credentials}.claim_until <= @now AND (${credentials}.renew_at IS NULL OR ${credentials}.renew_at <= @now)`,
    writeCredential: `
      INSERT INTO ${credentials} (resource_id, origin, credential_id, token, expires_at, renew_at, claim_until)
      VALUES (@resourceId, @origin, @id, @token, @expiresAt, @renewAt, 0)
      ON CONFLICT (resource_id, origin) DO UPDATE SET credential_id = excluded.credential_id, token = excluded.token,
        expires_at = excluded.expires_at, renew_at = excluded.renew_at, claim_until = 0`,
    releaseCredential: `UPDATE ${credentials} SET claim_until = 0 WHERE resource_id = @resourceId AND origin = @origin`,
    countHit: `
      INSERT INTO ${hits} (key, window_start, window_end, count) VALUES (@key, @windowStart, @windowEnd, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN ${hits}.window_start = excluded.window_start THEN ${hits}.count + 1 ELSE 1 END,
        window_start = excluded.window_start, window_end = excluded.window_end
      RETURNING count`,
    sweepNonces: `DELETE FROM ${nonces} WHERE expires_at < @now`,
    sweepHits: `DELETE FROM ${hits} WHERE window_end < @now`,
    // Only lapsed claims: a row naming a credential stays until the companion replaces it (one row
    // per resource and origin), so no credential Timekit may still accept is forgotten.
    sweepCredentials: `DELETE FROM ${credentials} WHERE credential_id IS NULL AND claim_until <= @now`,
  };
}

/** A row of the credentials table (PostgreSQL answers its bigints as strings). */
export interface CredentialRow {
  credential_id: string | null;
  token: string | null;
  expires_at: number | string | null;
  renew_at: number | string | null;
}

/** The credential a row holds, or null for none or a bare claim; `openToken` decrypts where the store encrypts. */
export function credentialFromRow(row: CredentialRow | undefined, openToken: (stored: string) => string = (token) => token): CachedCredential | null {
  if (row === undefined || row.credential_id === null || row.token === null) return null;
  return { id: row.credential_id, token: openToken(row.token), expiresAt: Number(row.expires_at), renewAt: Number(row.renew_at) };
}

/** The pending resource's own fields only (no stray property of the caller's object is stored), `token` as the store keeps it. */
export function storedPending(pending: PendingResource, token = pending.token): PendingResource {
  const { resourceId, email, accounts, provider } = pending;
  return { resourceId, email, token, accounts, ...(provider ? { provider } : {}) };
}

/** The record's own fields only, its pending resource likewise. */
export function storedRecord({ resourceId, email, token, accounts, pending }: TimekitRecord): TimekitRecord {
  return { resourceId, email, token, accounts, ...(pending ? { pending: storedPending(pending) } : {}) };
}
