/** Reading a request body with a byte limit, refused as soon as it passes it (not after buffering it all). */

export interface BodyLimit {
  /** At most this many bytes. */
  bytes: number;
  /** The refusal past `bytes`, or for a declared `Content-Length` past it. */
  tooLarge: () => Error;
  /**
   * The refusal when the stream fails mid-body (the client hung up or garbled the framing): the
   * client's mistake, which the server should not log as its own. Without it, the stream's error.
   */
  cutOff?: () => Error;
}

/** Reads a byte stream as UTF-8 text, refusing more than `limit.bytes` bytes. */
export async function readBody(chunks: AsyncIterable<Uint8Array>, declaredLength: string | null, limit: BodyLimit): Promise<string> {
  if (declaredLength !== null && Number(declaredLength) > limit.bytes) throw limit.tooLarge();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of chunks) {
      size += chunk.byteLength;
      if (size > limit.bytes) break;
      parts.push(chunk);
    }
  } catch (error) {
    throw limit.cutOff ? limit.cutOff() : error;
  }
  if (size > limit.bytes) throw limit.tooLarge();
  return Buffer.concat(parts).toString('utf8');
}
