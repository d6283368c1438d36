/**
 * `POST <endpoint>/accounts/pending`: the provider's answer to a second account that Timekit put
 * on a new resource. Loaded only when the provider answers.
 */
import type { TkCompanionErrorBody, TkSessionResponse } from '../shared/companion-protocol.js';
import { codeForCompanionError, toTkError, TkError } from './errors.js';

/** Sends the answer and resolves to the session as the companion now has it; rejects with a TkError. */
export async function resolvePending(endpoint: string | undefined, accept: boolean, timeoutMs: number): Promise<TkSessionResponse> {
  if (endpoint === undefined) throw new TkError('invalid', 'resolvePendingAccount needs the companion endpoint (<tk-session endpoint>)');
  const route = `POST ${endpoint}/accounts/pending`;
  let response: Response;
  try {
    response = await fetch(`${endpoint}/accounts/pending`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accept }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw toTkError(error);
  }
  if (!response.ok) {
    const refusal = ((await response.json().catch(() => null)) as Partial<TkCompanionErrorBody> | null)?.error;
    const said = refusal?.message ? `: ${refusal.message}` : '';
    throw new TkError(
      codeForCompanionError(refusal?.code, response.status),
      `The companion refused ${route} with ${response.status}${said}`,
      response.status,
      Number(response.headers.get('retry-after')) * 1e3,
      refusal?.code,
    );
  }
  try {
    return (await response.json()) as TkSessionResponse;
  } catch (error) {
    throw toTkError(error);
  }
}
