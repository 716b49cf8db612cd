import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const IS_PUBLIC = 'prestanda:auth:public';
export const ROLES = 'prestanda:auth:roles';
export const ALLOW_INTEGRATIONS = 'prestanda:auth:integrations';

/** No authentication (tracking beacons and redirects that a browser follows). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only users holding one of these roles. Without it, any authenticated user. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/** Integrations with an API key may call this too (bank and publisher endpoints). */
export const AllowIntegrations = () => SetMetadata(ALLOW_INTEGRATIONS, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => ctx.switchToHttp().getRequest().principal);
