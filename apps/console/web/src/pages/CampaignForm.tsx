import { Alert, Button, Checkbox, Fieldset, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { bankCapFormFields, bankCapsBodyOf, bankOptions, type BankCapValues } from '../advertisers';
import { api, ApiError, formErrorsOf } from '../api';
import { useI18n } from '../i18n';
import { minorDigits, parseMajor } from '../money';
import type { Advertiser, Campaign } from '../types';
import { BankCapRows, useBankIntegrations } from './BudgetFields';

/** Today 00:00 in the browser's offset, as the API wants it: 2025-03-01T00:00:00+01:00. */
function startOfToday(now = new Date()): string {
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.abs(Math.trunc(n))).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T00:00:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

interface Values {
  id: string;
  advertiserId: string;
  name: string;
  pricing: { model: string; price: string };
  reward: { kind: 'percent' | 'fixed'; basisPoints: number | string; amount: string };
  platformFee: { basisPoints: number | string; publisherShareBasisPoints: number | string };
  budget: { total: string; daily: string; bankCaps: BankCapValues[] };
  schedule: { startsAt: string; endsAt: string; timeZone: string };
  audience: { segment: string };
  channels: string[];
  activation: string;
  banks: string;
}

/** Form fields an API field name can land on (the longest prefix wins; see formFieldOf). */
const FORM_FIELDS = [
  'id',
  'advertiserId',
  'name',
  'pricing',
  'pricing.model',
  'pricing.price',
  'reward',
  'reward.kind',
  'reward.basisPoints',
  'reward.amount',
  'platformFee',
  'platformFee.basisPoints',
  'platformFee.publisherShareBasisPoints',
  'budget',
  'budget.total',
  'budget.daily',
  'schedule',
  'schedule.startsAt',
  'schedule.endsAt',
  'schedule.timeZone',
  'audience.segment',
  'channels',
  'activation',
  'banks',
] as const;

const optionalNumber = (v: number | string): number | undefined => (v === '' || v === undefined ? undefined : Number(v));

/**
 * Creates a campaign through `POST /v1/campaigns`. The form checks only what it must to build the
 * body (amounts in minor units); every rule is the API's, and its 400 messages land on the field
 * they name.
 */
export function CampaignForm({ onDone }: { onDone(created?: Campaign): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const advertisers = useQuery({ queryKey: ['advertisers'], queryFn: () => api<Advertiser[]>('campaigns', '/v1/advertisers') });
  // The banks a per-bank cap can name: the registry's bank integrations.
  const integrations = useBankIntegrations();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const form = useForm<Values>({
    initialValues: {
      id: '',
      advertiserId: '',
      name: '',
      pricing: { model: 'CPA', price: '' },
      reward: { kind: 'percent', basisPoints: 1000, amount: '' },
      platformFee: { basisPoints: 2000, publisherShareBasisPoints: 3000 },
      budget: { total: '', daily: '', bankCaps: [] },
      schedule: { startsAt: startOfToday(), endsAt: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Stockholm' },
      audience: { segment: 'all' },
      channels: ['in-store', 'online'],
      activation: 'required',
      banks: 'all',
    },
  });
  const advertiserId = form.values.advertiserId || advertisers.data?.[0]?.id || '';
  const currency = advertisers.data?.find((a) => a.id === advertiserId)?.billingCurrency ?? 'SEK';

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Campaign>('campaigns', '/v1/campaigns', { method: 'POST', body }),
    onSuccess: async (campaign) => {
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      onDone(campaign);
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return;
      const { errors, unplaced: rest } = formErrorsOf(e, [...FORM_FIELDS, ...bankCapFormFields(form.values.budget.bankCaps.length)]);
      form.setErrors(errors);
      setUnplaced(rest);
    },
  });

  const submit = (v: Values) => {
    setUnplaced([]);
    // Amounts: major units typed, minor units sent. Only what cannot be sent at all is refused here.
    const errors: Record<string, string> = {};
    const money = (field: string, input: string, required: boolean) => {
      if (!input.trim()) return required ? undefined : null;
      const amountMinor = parseMajor(input, currency);
      if (amountMinor === undefined) {
        errors[field] = t('form.amountInvalid', { currency, digits: minorDigits(currency) });
        return null;
      }
      return { amountMinor, currency };
    };
    const total = money('budget.total', v.budget.total, true);
    const daily = money('budget.daily', v.budget.daily, false);
    const price = v.pricing.model === 'CPA' ? null : money('pricing.price', v.pricing.price, true);
    const rewardAmount = v.pricing.model === 'CPA' && v.reward.kind === 'fixed' ? money('reward.amount', v.reward.amount, true) : null;
    const caps = bankCapsBodyOf(v.budget.bankCaps, currency);
    for (const path of Object.keys(caps.problems)) errors[path] = t('form.amountInvalid', { currency, digits: minorDigits(currency) });
    if (Object.keys(errors).length) return form.setErrors(errors);
    const banks = v.banks.trim() === 'all' ? 'all' : v.banks.split(',').map((b) => b.trim()).filter(Boolean);
    const body: Record<string, unknown> = {
      ...(v.id.trim() ? { id: v.id.trim() } : {}),
      advertiserId,
      name: v.name,
      pricing: { model: v.pricing.model, ...(price ? { price } : {}) },
      ...(v.pricing.model === 'CPA'
        ? { reward: v.reward.kind === 'percent' ? { kind: 'percent', basisPoints: optionalNumber(v.reward.basisPoints) } : { kind: 'fixed', ...(rewardAmount ? { amount: rewardAmount } : {}) } }
        : {}),
      platformFee: { kind: 'percent', basisPoints: optionalNumber(v.platformFee.basisPoints), publisherShareBasisPoints: optionalNumber(v.platformFee.publisherShareBasisPoints) },
      budget: { ...(total ? { total } : {}), ...(daily ? { daily } : {}), ...(caps.bankCaps.length ? { bankCaps: caps.bankCaps } : {}) },
      schedule: { startsAt: v.schedule.startsAt, ...(v.schedule.endsAt.trim() ? { endsAt: v.schedule.endsAt.trim() } : {}), timeZone: v.schedule.timeZone },
      audience: { segment: v.audience.segment },
      channels: v.channels,
      activation: v.activation,
      banks,
    };
    create.mutate(body);
  };

  if (advertisers.isPending) return <Alert color="gray">{t('common.loading')}</Alert>;
  if (advertisers.error) return <Alert color="red">{advertisers.error.message}</Alert>;
  if (!advertisers.data.length) return <Alert color="yellow">{t('form.noAdvertisers')}</Alert>;

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={t('form.title')}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect label={t('form.advertiser')} data={advertisers.data.map((a) => ({ value: a.id, label: `${a.name} (${a.id}, ${a.billingCurrency})` }))} {...form.getInputProps('advertiserId')} value={advertiserId} />
          <TextInput label={t('form.id')} {...form.getInputProps('id')} />
        </SimpleGrid>
        <TextInput label={t('form.name')} {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect label={t('form.pricing')} data={['CPA', 'CPL', 'CPC', 'CPM']} {...form.getInputProps('pricing.model')} />
          {form.values.pricing.model === 'CPA' ? (
            <NativeSelect
              label={t('form.rewardKind')}
              data={[
                { value: 'percent', label: t('form.rewardPercent') },
                { value: 'fixed', label: t('form.rewardFixed') },
              ]}
              {...form.getInputProps('reward.kind')}
            />
          ) : (
            <TextInput label={t('form.price', { currency })} inputMode="decimal" {...form.getInputProps('pricing.price')} />
          )}
        </SimpleGrid>
        {form.values.pricing.model === 'CPA' && form.values.reward.kind === 'percent' && <NumberInput label={t('form.basisPoints')} allowDecimal={false} {...form.getInputProps('reward.basisPoints')} error={form.errors['reward.basisPoints'] ?? form.errors.reward} />}
        {form.values.pricing.model === 'CPA' && form.values.reward.kind === 'fixed' && <TextInput label={t('form.rewardAmount', { currency })} inputMode="decimal" {...form.getInputProps('reward.amount')} error={form.errors['reward.amount'] ?? form.errors.reward} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput label={t('form.feeBasisPoints')} allowDecimal={false} {...form.getInputProps('platformFee.basisPoints')} />
          <NumberInput label={t('form.publisherShare')} allowDecimal={false} {...form.getInputProps('platformFee.publisherShareBasisPoints')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('form.budgetTotal', { currency })} inputMode="decimal" {...form.getInputProps('budget.total')} error={form.errors['budget.total'] ?? form.errors.budget} />
          <TextInput label={t('form.budgetDaily', { currency })} inputMode="decimal" {...form.getInputProps('budget.daily')} />
        </SimpleGrid>
        <Fieldset legend={t('form.bankCaps')}>
          <Text size="xs" c="dimmed" mb="xs">
            {t('form.bankCapsHint')}
          </Text>
          <BankCapRows form={form} currency={currency} banks={bankOptions(integrations.data ?? [], form.values.budget.bankCaps)} />
        </Fieldset>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('form.startsAt')} {...form.getInputProps('schedule.startsAt')} error={form.errors['schedule.startsAt'] ?? form.errors.schedule} />
          <TextInput label={t('form.endsAt')} {...form.getInputProps('schedule.endsAt')} />
          <TextInput label={t('form.timeZone')} {...form.getInputProps('schedule.timeZone')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect label={t('form.segment')} data={['all', 'new', 'lapsed', 'existing']} {...form.getInputProps('audience.segment')} />
          <NativeSelect label={t('form.activation')} data={['required', 'automatic']} {...form.getInputProps('activation')} />
        </SimpleGrid>
        <Checkbox.Group label={t('form.channels')} {...form.getInputProps('channels')}>
          <Group mt={4}>
            <Checkbox value="in-store" label="in-store" />
            <Checkbox value="online" label="online" />
          </Group>
        </Checkbox.Group>
        <TextInput label={t('form.banks')} {...form.getInputProps('banks')} />
        {create.error && (
          <Alert color="red" title={t('form.failed')} role="alert">
            {create.error instanceof ApiError && create.error.fields.length ? unplaced.join('; ') || create.error.fields.map((f) => f.field).join(', ') : create.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            {t('form.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
