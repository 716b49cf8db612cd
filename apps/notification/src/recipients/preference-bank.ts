import { BadRequestException, ForbiddenException } from '@nestjs/common';
import type { Principal } from '@prestanda/auth';

/**
 * The bank whose customer a preferences request is about (a customer is (bank, customer id)):
 * - a bank integration (API key): its own source, always — naming another bank is a 403;
 * - an ops user: the `bank` query parameter, which is then required (400 naming `bank`).
 */
export function preferenceBank(principal: Principal | undefined, bank: string | undefined): string {
  if (principal?.kind === 'integration') {
    if (bank !== undefined && bank !== principal.source) throw new ForbiddenException(`an integration sees only its own customers (bank ${principal.source})`);
    return principal.source;
  }
  if (bank === undefined || bank === '') {
    const message = "required: the customer's bank (its integration source, the part of a purchase id before the first ':')";
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`bank: ${message}`], fields: [{ field: 'bank', message }] });
  }
  return bank;
}
