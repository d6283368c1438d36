/** Who is calling: the app (app key), a resource (`email:token`) or a widget credential. */
import type { IncomingMessage } from 'node:http';
import { parseBasicAuthorization } from '../shared/server/basic-auth.js';
import { forbidden, unauthorized } from './errors.js';
import type { FidelitySwitches } from './fidelity.js';
import type { CredentialRecord, ResourceRecord } from './records.js';
import { sameSecret } from './secrets.js';
import type { SeedApp } from './seed.js';
import type { EmulatorState } from './state.js';
import { parseTimestamp } from './time.js';

export type Caller =
  | { kind: 'app'; test: boolean }
  | { kind: 'resource'; resource: ResourceRecord; credential: CredentialRecord }
  | { kind: 'widget'; resource: ResourceRecord; credential: CredentialRecord };

export type CallerKind = Caller['kind'];

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The calling page's origin: `Origin`, else the origin of `Referer`; with `refererOnly` (doubt
 * #10 in docs/emulator.md), the origin of `Referer` alone.
 */
function requestOrigin(req: IncomingMessage, refererOnly = false): string | null {
  const origin = header(req, 'origin');
  if (!refererOnly && origin && origin !== 'null') return origin;
  const referer = header(req, 'referer');
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/**
 * Resolves the caller from `Authorization` and `Timekit-App`, or throws the 401/403 Timekit
 * answers. A widget credential must be unexpired and used from an origin in its `referrer` list.
 * Keys and tokens are compared in constant time.
 */
export function authenticate(
  req: IncomingMessage,
  app: SeedApp,
  state: EmulatorState,
  now: Date,
  fidelity: Pick<FidelitySwitches, 'refererOnly'>,
): Caller {
  const authorization = header(req, 'authorization');
  if (!authorization) throw unauthorized('Missing credentials: send HTTP Basic authentication');
  const basic = parseBasicAuthorization(authorization);
  if (!basic) throw unauthorized('Malformed Authorization header: expected HTTP Basic');

  if (basic.user === '') {
    // Both comparisons always run, so the answer's timing tells nothing about which key was close.
    const live = sameSecret(basic.password, app.appKey);
    const test = sameSecret(basic.password, app.testAppKey);
    if (live) return { kind: 'app', test: false };
    if (test) return { kind: 'app', test: true };
    throw unauthorized('Invalid app key');
  }

  const slug = header(req, 'timekit-app');
  if (!slug) throw unauthorized('Missing Timekit-App header');
  if (slug !== app.slug) throw unauthorized('Unknown Timekit app');
  const resource = state.resourceByEmail(basic.user);
  const credential = resource
    ? [...state.credentials.values()].find((c) => c.resource_id === resource.id && sameSecret(basic.password, c.token))
    : undefined;
  if (!resource || !credential) throw unauthorized('Invalid email or token');
  const expires = parseTimestamp(credential.expires);
  if (expires && expires.getTime() <= now.getTime()) throw unauthorized('The credential has expired');

  if (credential.scopes.includes('global')) return { kind: 'resource', resource, credential };

  const allowed = credential.referrer.filter((r) => r !== '');
  if (allowed.length > 0 && !allowed.includes('*')) {
    const origin = requestOrigin(req, fidelity.refererOnly);
    if (!origin || !allowed.includes(origin)) {
      throw forbidden(
        fidelity.refererOnly && !origin
          ? 'This widget credential needs a Referer header naming an allowed origin'
          : 'This widget credential may not be used from this origin (referrer mismatch)',
      );
    }
  }
  return { kind: 'widget', resource, credential };
}
