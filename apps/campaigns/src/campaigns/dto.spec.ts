import { BadRequestException, type Type } from '@nestjs/common';
import { validationPipe } from '@prestanda/service-kit';
import { CreateCampaignDto, UpdateCampaignDto } from './dto';

const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });

const createBody = (extra: Record<string, unknown> = {}) => ({
  advertiserId: 'adv-ica',
  name: '10 % at ICA',
  pricing: { model: 'CPA' },
  reward: { kind: 'percent', basisPoints: 1000 },
  platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
  budget: { total: SEK(5_000_000) },
  schedule: { startsAt: '2025-03-01T00:00:00+01:00', timeZone: 'Europe/Stockholm' },
  audience: { segment: 'new' },
  channels: ['in-store'],
  activation: 'required',
  ...extra,
});

/** Runs the services' ValidationPipe as on a request body: the DTO, or the 400 body it answers with. */
async function validate<T>(metatype: Type<T>, body: unknown): Promise<{ dto: T } | { status: 400; message: string[]; fields: { field: string; message: string }[] }> {
  try {
    return { dto: (await validationPipe().transform(body, { type: 'body', metatype })) as T };
  } catch (e) {
    if (!(e instanceof BadRequestException)) throw e;
    return { status: 400, ...(e.getResponse() as { message: string[]; fields: { field: string; message: string }[] }) };
  }
}

const badFields = async (metatype: Type<unknown>, body: unknown) => {
  const r = await validate(metatype, body);
  return 'fields' in r ? [...new Set(r.fields.map((f) => f.field))] : [];
};

describe('banks in the campaign DTOs', () => {
  it.each([['all'], [['bank-demo-se']], [['bank-a', 'bank-b']], [Array.from({ length: 1000 }, (_, i) => `bank-${i}`)]])('accepts %j on create and update', async (banks) => {
    for (const [metatype, body] of [
      [CreateCampaignDto, createBody({ banks })],
      [UpdateCampaignDto, { banks }],
    ] as const) {
      const r = await validate<{ banks?: unknown }>(metatype, body);
      expect(r).toEqual({ dto: expect.objectContaining({ banks }) });
    }
  });

  it('may be absent on create and update', async () => {
    expect(await validate<CreateCampaignDto>(CreateCampaignDto, createBody())).toEqual({ dto: expect.not.objectContaining({ banks: expect.anything() }) });
    expect(await validate<UpdateCampaignDto>(UpdateCampaignDto, { name: 'renamed' })).toEqual({ dto: expect.not.objectContaining({ banks: expect.anything() }) });
  });

  it.each([
    ['an empty list', []],
    ['a string other than "all"', 'some'],
    ['"ALL"', 'ALL'],
    ['a duplicate id', ['bank-a', 'bank-b', 'bank-a']],
    ['an id with whitespace', ['bank a']],
    ['an empty id', ['']],
    ['an id of 129 characters', ['b'.repeat(129)]],
    ['a non-string id', [42]],
    ['more than 1000 ids', Array.from({ length: 1001 }, (_, i) => `bank-${i}`)],
    ['an object', { banks: ['bank-a'] }],
  ])('refuses %s with a 400 naming banks, on create and update', async (_what, banks) => {
    expect(await badFields(CreateCampaignDto, createBody({ banks }))).toEqual(['banks']);
    expect(await badFields(UpdateCampaignDto, { banks })).toEqual(['banks']);
  });

  it('reports in the services\' 400 format', async () => {
    const r = await validate(UpdateCampaignDto, { banks: [] });
    expect(r).toMatchObject({ status: 400, fields: [{ field: 'banks', message: expect.stringMatching(/^banks /) }], message: [expect.stringMatching(/^banks: /)] });
  });
});
