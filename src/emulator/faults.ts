/**
 * Fault injection: make the next N calls of a path fail in a chosen way, for a whole run (the
 * `faults` option or `POST /_emulator/faults`) or for one request (the `Tk-Emulator-Fault` header).
 */
import { randomUUID } from 'node:crypto';

type FaultKind = 'status' | 'drop' | 'malformed' | 'latency' | 'expired-credential' | 'timeout';

export interface FaultRule {
  /** `status` answers `status`; `drop` destroys the socket; `malformed` sends broken JSON; `latency`
   *  delays the real answer; `timeout` never answers; `expired-credential` answers 401 as for an
   *  expired widget credential. */
  kind: FaultKind;
  /** Path under the API base, e.g. `/calendars` or `/calendars/*`; `*` matches one or more segments. */
  path: string;
  /** Method to match; any when omitted. */
  method?: string;
  /** For `status`: 401, 403, 404, 422, 429, 500, 503… */
  status?: number;
  /** Seconds, sent as `Retry-After` (429 and 503 default to 1). */
  retryAfter?: number;
  /** For `latency`: milliseconds added before the real answer. */
  latencyMs?: number;
  /** How many matching calls fail; omitted = 1, 0 or negative = until cleared. */
  count?: number;
}

export interface ActiveFault extends FaultRule {
  id: string;
  remaining: number;
}

const KINDS: FaultKind[] = ['status', 'drop', 'malformed', 'latency', 'expired-credential', 'timeout'];

function pathMatches(pattern: string, path: string): boolean {
  const normalise = (p: string) => p.replace(/\/+$/, '') || '/';
  const source = normalise(pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${source}$`).test(normalise(path));
}

/** Checks a rule from JSON; returns an error message per bad field (empty when valid). */
export function validateFaultRule(input: unknown): { rule?: FaultRule; errors: Record<string, string[]> } {
  // No prototype: unknown keys from the client (`constructor`, `__proto__`) are plain field names.
  const errors: Record<string, string[]> = Object.create(null);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { errors: { rule: ['A fault rule must be a JSON object'] } };
  }
  const raw = input as Record<string, unknown>;
  const kind = (raw.kind ?? (raw.status !== undefined ? 'status' : undefined)) as FaultKind;
  if (!KINDS.includes(kind)) errors.kind = [`kind must be one of ${KINDS.join(', ')}`];
  if (typeof raw.path !== 'string' || !raw.path.startsWith('/')) errors.path = ['path must start with /'];
  if (raw.method !== undefined && typeof raw.method !== 'string') errors.method = ['method must be a string'];
  const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  if (kind === 'status' && !isInt(raw.status, 400, 599)) errors.status = ['status must be an integer from 400 to 599'];
  if (raw.retryAfter !== undefined && !isInt(raw.retryAfter, 0, 3600)) errors.retryAfter = ['retryAfter must be 0–3600 seconds'];
  if (kind === 'latency' && !isInt(raw.latencyMs, 0, 60_000)) errors.latencyMs = ['latencyMs must be 0–60000'];
  if (raw.count !== undefined && !isInt(raw.count, -1, 1_000_000)) errors.count = ['count must be an integer'];
  for (const key of Object.keys(raw)) {
    if (!['kind', 'path', 'method', 'status', 'retryAfter', 'latencyMs', 'count'].includes(key)) {
      (errors[key] ??= []).push(`Unknown field ${key}`);
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { rule: { ...(raw as unknown as FaultRule), kind }, errors };
}

/** Parses the per-request header: `status=503; retry-after=2`, `drop`, `latency=300`, … */
export function parseFaultHeader(header: string, path: string): FaultRule | null {
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const [key, value = ''] = part.split('=').map((s) => s.trim().toLowerCase());
    if (key) fields.set(key, value);
  }
  const number = (key: string) => (fields.has(key) ? Number(fields.get(key)) : undefined);
  const retryAfter = number('retry-after');
  if (fields.has('status')) {
    const status = number('status')!;
    return Number.isInteger(status) && status >= 400 && status <= 599 ? { kind: 'status', path, status, retryAfter } : null;
  }
  if (fields.has('latency')) return { kind: 'latency', path, latencyMs: Math.min(number('latency') || 0, 60_000) };
  for (const kind of ['drop', 'malformed', 'expired-credential', 'timeout'] as const) {
    if (fields.has(kind)) return { kind, path };
  }
  return null;
}

export class Faults {
  private rules: ActiveFault[] = [];

  add(rule: FaultRule): ActiveFault {
    const count = rule.count ?? 1;
    const active = { ...rule, id: randomUUID(), remaining: count <= 0 ? Infinity : count };
    this.rules.push(active);
    return active;
  }

  list(): ActiveFault[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear() {
    this.rules = [];
  }

  /** The first rule matching this call, spending one of its uses. */
  take(method: string, path: string): ActiveFault | undefined {
    const rule = this.rules.find(
      (r) => (!r.method || r.method.toUpperCase() === method) && pathMatches(r.path, path),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}

/** The Timekit-shaped body for an injected status. */
export function faultBody(status: number): Record<string, unknown> {
  switch (status) {
    case 401:
      return { error: 'The credentials are invalid or have expired' };
    case 403:
      return { error: 'The credential is not allowed to access this endpoint' };
    case 404:
      return { error: 'The requested resource does not exist', model: 'Calendar' };
    case 422:
      return { errors: { request: ['The given data was invalid'] } };
    case 429:
      return { error: 'Too many requests: the test app passed its request quota' };
    case 503:
      return { error: 'Too many requests: rate limit exceeded, retry later' };
    default:
      return { error: status >= 500 ? 'Internal server error' : `HTTP ${status}` };
  }
}
