/**
 * The signed-in user: a bearer token kept in sessionStorage (gone when the tab closes). The
 * claims are read only to decide what to show; the services verify the token on every call.
 */
export type Role = 'ops-admin' | 'ops-viewer' | 'advertiser';

export interface Session {
  token: string;
  subject: string;
  roles: Role[];
  advertiserId?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const KEY = 'prestanda.console.token';

export function decodeSession(token: string): Session | undefined {
  try {
    const payload = token.split('.')[1];
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; roles?: unknown; advertiser_id?: unknown; exp?: unknown };
    const roles = (Array.isArray(claims.roles) ? claims.roles : []).filter((r): r is Role => r === 'ops-admin' || r === 'ops-viewer' || r === 'advertiser');
    if (typeof claims.exp !== 'number') return undefined;
    return { token, subject: String(claims.sub ?? ''), roles, advertiserId: typeof claims.advertiser_id === 'string' ? claims.advertiser_id : undefined, expiresAt: claims.exp * 1000 };
  } catch {
    return undefined;
  }
}

export function loadSession(now = Date.now()): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  const session = token ? decodeSession(token) : undefined;
  if (!session || session.expiresAt <= now) {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
  return session;
}

export function saveSession(token: string): Session | undefined {
  const session = decodeSession(token);
  if (session) sessionStorage.setItem(KEY, token);
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export const isOpsAdmin = (s: Session | undefined): boolean => Boolean(s?.roles.includes('ops-admin'));
export const isOps = (s: Session | undefined): boolean => Boolean(s?.roles.some((r) => r === 'ops-admin' || r === 'ops-viewer'));
