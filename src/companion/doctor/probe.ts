/**
 * How the doctor asks Timekit: through the companion's own TimekitClient (`raw`: one try, the answer
 * as Timekit sent it), with no answer at all read as status 0 instead of an error, and the helpers
 * that read an answer. Secrets only ever travel in the client's Authorization header.
 */
import { TimekitClient, type TimekitAuth } from '../timekit.js';
import type { DoctorReportBuilder } from './report.js';

export interface Answer {
  /** 0 when Timekit could not be reached. */
  status: number;
  headers: Headers;
  json: unknown;
}

/** What every question gets: how to ask, where to write, and as which app and page origin. */
export interface DoctorContext {
  probe: DoctorProbe;
  report: DoctorReportBuilder;
  app: string;
  origin: string;
}

/** An unknown field or include name, recognisable in Timekit's logs. */
export const PROBE_FIELD = 'tk_doctor_probe';

/** Asks as the app, with the app key. */
export const APP_AUTH = { app: true } as const;

/** A resource to ask as, by its email and full token. */
export type ResourceAuth = { email: string; token: string };

export class DoctorProbe {
  private readonly client: TimekitClient;

  constructor(
    apiBase: string,
    app: string,
    appKey: string,
    private readonly timeoutMs: number,
  ) {
    this.client = new TimekitClient(apiBase, app, appKey, null);
  }

  /** One call; `auth` null asks as nobody (a browser following a signup link). Never throws. */
  async ask(method: string, path: string, auth: TimekitAuth | null, extra: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    try {
      const answer = await this.client.raw(method, path, auth, extra.body, { headers: extra.headers, timeoutMs: this.timeoutMs });
      return { status: answer.status, headers: answer.headers, json: parseJson(answer.body) };
    } catch {
      return { status: 0, headers: new Headers(), json: null };
    }
  }

  async resourceIdByEmail(email: string): Promise<string | null> {
    try {
      return (await this.client.findResourceByEmail(email))?.id ?? null;
    } catch {
      return null;
    }
  }

  /** Free hours of the coming week for some constraints (a read): the slots' starts, or null when refused. */
  async availableStarts(auth: ResourceAuth, id: string, constraints: unknown[], headers?: Record<string, string>) {
    const from = Date.now();
    const answer = await this.ask('POST', '/availability', auth, {
      headers,
      body: { resources: [id], from: new Date(from).toISOString(), to: new Date(from + 7 * 24 * 3_600_000).toISOString(), length: '1 hour', constraints },
    });
    return { answer, starts: ok2xx(answer) ? listOf(answer).map((slot) => String(slot.start)) : null };
  }
}

function parseJson(body: string): unknown {
  try {
    return body === '' ? null : JSON.parse(body);
  } catch {
    // Not JSON: the questions look at the status only.
    return null;
  }
}

export const ok2xx = (answer: Answer) => answer.status >= 200 && answer.status < 300;
export const refused = (answer: Answer) => answer.status === 401 || answer.status === 403;
export const statusText = (answer: Answer) => (answer.status === 0 ? 'no answer' : String(answer.status));
/** 400 or 422: Timekit refused what was asked (not who asked). */
export const refusedInput = (answer: Answer) => answer.status === 400 || answer.status === 422;

function dataOf(answer: Answer): unknown {
  const json = answer.json as { data?: unknown } | null;
  return json !== null && typeof json === 'object' ? json.data : undefined;
}

export function listOf(answer: Answer): Record<string, unknown>[] {
  const data = dataOf(answer);
  return Array.isArray(data) ? data.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object') : [];
}

export function objectOf(answer: Answer): Record<string, unknown> | null {
  const data = dataOf(answer);
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}

/** A non-empty string, else null. */
export const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
