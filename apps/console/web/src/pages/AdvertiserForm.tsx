import { Alert, Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ADVERTISER_FORM_FIELDS, bankOptions, budgetFormFields, emptyBudget, newAdvertiserBodyOf, type NewAdvertiserValues } from '../advertisers';
import { api, ApiError, formErrorsOf } from '../api';
import { useI18n } from '../i18n';
import { minorDigits } from '../money';
import type { Advertiser } from '../types';
import { BudgetFields, useBankIntegrations } from './BudgetFields';

/**
 * Creates an advertiser through `POST /v1/advertisers`, optionally with its budget and per-bank
 * caps. The form refuses only amounts it cannot turn into minor units; the id's shape, the
 * currency and a bank listed twice are the API's to refuse, on the field its 400 names.
 */
export function AdvertiserForm({ onDone }: { onDone(created?: Advertiser): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const integrations = useBankIntegrations();
  const form = useForm<NewAdvertiserValues>({ initialValues: { id: '', name: '', billingCurrency: 'SEK', budget: emptyBudget() } });
  const currency = form.values.billingCurrency.trim() || 'SEK';

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Advertiser>('campaigns', '/v1/advertisers', { method: 'POST', body }),
    onSuccess: async (advertiser) => {
      await queryClient.invalidateQueries({ queryKey: ['advertisers'] });
      onDone(advertiser);
    },
    onError: (e) => {
      const { errors, unplaced: rest } = formErrorsOf(e, [...ADVERTISER_FORM_FIELDS, ...budgetFormFields(form.values.budget.bankCaps.length)]);
      form.setErrors(errors);
      setUnplaced(rest);
    },
  });

  const submit = (v: NewAdvertiserValues) => {
    setUnplaced([]);
    create.reset();
    const { body, problems } = newAdvertiserBodyOf(v);
    if (Object.keys(problems).length) {
      const message = t('form.amountInvalid', { currency, digits: minorDigits(currency) });
      return form.setErrors(Object.fromEntries(Object.keys(problems).map((path) => [path, message])));
    }
    create.mutate(body);
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={t('advertiserForm.title')}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('advertiserForm.id')} description={t('advertiserForm.idHint')} {...form.getInputProps('id')} />
          <TextInput label={t('advertiserForm.currency')} description={t('advertiserForm.currencyHint')} {...form.getInputProps('billingCurrency')} />
        </SimpleGrid>
        <TextInput label={t('advertiserForm.name')} {...form.getInputProps('name')} />
        <BudgetFields form={form} currency={currency} banks={bankOptions(integrations.data ?? [], form.values.budget.bankCaps)} />
        {integrations.error && <Alert color="yellow">{integrations.error.message}</Alert>}
        {create.error && (
          <Alert color="red" title={t('advertiserForm.failed')} role="alert" data-testid="advertiser-form-error">
            {create.error instanceof ApiError && create.error.fields.length ? unplaced.join('; ') || create.error.fields.map((f) => f.field).join(', ') : create.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('advertiserForm.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
