/**
 * Strict base64url for signed tokens. `Buffer.from(text, 'base64url')` skips characters it cannot
 * decode and ignores stray trailing bits, so `mac$$$`, `mac==` and `macA` (last bits set) decode to
 * the same bytes as `mac`: one signature, many spellings. Tokens are accepted only in the one
 * spelling the companion itself produces: the unpadded alphabet, and bytes that encode back to
 * exactly the same text.
 */
const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** The bytes `text` encodes when it is canonical base64url (of exactly `byteLength` bytes, when given), else null. */
export function decodeCanonical(text: string, byteLength?: number): Buffer | null {
  if (!ALPHABET.test(text)) return null;
  if (byteLength !== undefined && text.length !== Math.ceil((byteLength * 4) / 3)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** An HMAC-SHA256 is 32 bytes: 43 characters of unpadded base64url. */
export const MAC_BYTES = 32;
