import { CanActivate, ExecutionContext, ForbiddenException, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ALLOW_INTEGRATIONS, IS_PUBLIC, ROLES } from './decorators';
import type { Principal, Role } from './principal';
import { KeyRegistryUnavailable } from './key-registry';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every route needs a caller unless marked @Public(). Bearer JWTs identify
 * users (roles, advertiser); `X-Api-Key` identifies integrations, accepted only on routes
 * marked @AllowIntegrations(). The principal lands on `request.principal`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verifier = new TokenVerifier();

  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const apiKey = request.headers['x-api-key'];
    const authorization = request.headers['authorization'];
    if (apiKey) {
      if (!this.reflector.getAllAndOverride<boolean>(ALLOW_INTEGRATIONS, targets)) throw new ForbiddenException('API keys are not accepted here');
      let principal: Principal | null;
      try {
        principal = await this.verifier.resolveApiKey(apiKey);
      } catch (error) {
        if (error instanceof KeyRegistryUnavailable) throw new ServiceUnavailableException('API keys cannot be checked right now; retry');
        throw error;
      }
      if (!principal) throw new UnauthorizedException('unknown API key');
      request.principal = principal;
      return true;
    }
    if (!authorization?.startsWith('Bearer ')) throw new UnauthorizedException('a bearer token or an API key is required');
    try {
      request.principal = await this.verifier.verifyBearer(authorization.slice(7));
    } catch {
      throw new UnauthorizedException('invalid or expired token');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    const user = request.principal;
    if (roles && !(user.kind === 'user' && user.roles.some((r) => roles.includes(r)))) throw new ForbiddenException(`requires one of the roles: ${roles.join(', ')}`);
    return true;
  }
}
