import { ForbiddenException } from '@nestjs/common';

export const OPS_ROLES = ['ops-admin', 'ops-viewer'] as const;
export type Role = 'ops-admin' | 'ops-viewer' | 'advertiser';

/** An ops user or an advertiser's user, from a bearer token (JWT). */
export interface UserPrincipal {
  kind: 'user';
  subject: string;
  roles: Role[];
  /** Set for advertiser users: they see only this advertiser's data. */
  advertiserId?: string;
}

/** A bank or publisher integration, from an API key scoped to its source. */
export interface IntegrationPrincipal {
  kind: 'integration';
  /** The integration id; events it sends must carry this as their `source`. */
  source: string;
  publisherId?: string;
}

export type Principal = UserPrincipal | IntegrationPrincipal;

export function isOps(p: Principal | undefined): boolean {
  return p?.kind === 'user' && p.roles.some((r) => r === 'ops-admin' || r === 'ops-viewer');
}

/** Ops see everything; an advertiser user only its own advertiser. */
export function assertAdvertiserAccess(p: Principal | undefined, advertiserId: string): void {
  if (isOps(p)) return;
  if (p?.kind === 'user' && p.roles.includes('advertiser') && p.advertiserId === advertiserId) return;
  throw new ForbiddenException(`no access to advertiser ${advertiserId}`);
}
