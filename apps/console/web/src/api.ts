import { clearSession, loadSession } from './session';

/** A field the API named in a 400 (or 409) body: `{ fields: [{ field, message }] }`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A non-2xx answer of a service, as it came through the console server. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message?: string | string[]; reason?: string; fields?: FieldProblem[] } | undefined,
  ) {
    super(ApiError.describe(status, body));
  }

  get fields(): FieldProblem[] {
    return Array.isArray(this.body?.fields) ? this.body.fields : [];
  }

  /** The service's own words: `reason` (409s), else its message(s). */
  static describe(status: number, body: ApiError['body']): string {
    if (body?.reason) return body.reason;
    if (Array.isArray(body?.message)) return body.message.join('; ');
    if (typeof body?.message === 'string') return body.message;
    return `HTTP ${status}`;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when a service answers 401: the token expired or is not accepted any more. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Calls `/api/<service>/<path>` with the session's bearer token; JSON in, JSON out. */
export async function api<T>(service: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const session = loadSession();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/${service}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { message: text };
  }
  if (response.status === 401) {
    clearSession();
    unauthorizedListeners.forEach((l) => l());
  }
  if (!response.ok) throw new ApiError(response.status, body as ApiError['body']);
  return body as T;
}

/** The console server's own routes (no bearer token). */
export async function consoleServer<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, { method: init.method ?? 'GET', headers: init.body === undefined ? {} : { 'content-type': 'application/json' }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const body = (await response.json().catch(() => undefined)) as ApiError['body'];
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
}

/** Maps API field names (`budget.total.amountMinor`) to a form's fields: the longest known prefix wins. */
export function formFieldOf(apiField: string, formFields: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const f of formFields) {
    if ((apiField === f || apiField.startsWith(`${f}.`)) && (!best || f.length > best.length)) best = f;
  }
  return best;
}

/**
 * Spreads a 400's `fields[]` over a form: each message lands on the form field its API field maps
 * to (joined when several land on one), and what maps nowhere is returned as `field: message`.
 */
export function formErrorsOf(error: unknown, formFields: readonly string[]): { errors: Record<string, string>; unplaced: string[] } {
  const errors: Record<string, string> = {};
  const unplaced: string[] = [];
  if (!(error instanceof ApiError)) return { errors, unplaced };
  for (const f of error.fields) {
    const field = formFieldOf(f.field, formFields);
    if (field) errors[field] = errors[field] ? `${errors[field]}; ${f.message}` : f.message;
    else unplaced.push(`${f.field}: ${f.message}`);
  }
  return { errors, unplaced };
}
