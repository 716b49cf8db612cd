import { BadRequestException, ForbiddenException } from '@nestjs/common';
import type { Principal } from '@prestanda/auth';
import { preferenceBank } from './preference-bank';

const ops: Principal = { kind: 'user', subject: 'ops-1', roles: ['ops-admin'] };
const bankA: Principal = { kind: 'integration', source: 'bank-a' };

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('the bank of a preferences request', () => {
  it('a bank integration: its own source, always', () => {
    expect(preferenceBank(bankA, undefined)).toBe('bank-a');
    expect(preferenceBank(bankA, 'bank-a')).toBe('bank-a');
  });

  it('a bank integration naming another bank: 403', () => {
    expect(thrown(() => preferenceBank(bankA, 'bank-b'))).toBeInstanceOf(ForbiddenException);
  });

  it('an ops user: the bank parameter', () => {
    expect(preferenceBank(ops, 'bank-b')).toBe('bank-b');
  });

  it('an ops user without the bank parameter: 400 naming the field bank, in the service’s 400 format', () => {
    for (const bank of [undefined, '']) {
      const e = thrown(() => preferenceBank(ops, bank));
      expect(e).toBeInstanceOf(BadRequestException);
      const body = (e as BadRequestException).getResponse() as { statusCode: number; error: string; message: string[]; fields: { field: string; message: string }[] };
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', fields: [{ field: 'bank', message: expect.stringContaining('required') }] });
      expect(body.message).toEqual([`bank: ${body.fields[0].message}`]);
    }
    expect(thrown(() => preferenceBank(undefined, undefined))).toBeInstanceOf(BadRequestException);
  });
});
