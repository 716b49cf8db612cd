import { Alert, Button, Checkbox, Group, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CHANNELS, MERCHANT_FORM_FIELDS, merchantBodyOf, merchantValuesOf, type MerchantValues } from '../advertisers';
import { api, ApiError, formErrorsOf } from '../api';
import { useI18n } from '../i18n';
import type { Merchant } from '../types';

/**
 * Adds a merchant (`POST /v1/advertisers/:id/merchants`) or replaces one (`PUT …/:merchantId`,
 * a whole merchant). A MID that already belongs to another merchant is the API's 409: its reason
 * is shown, and the `fields` it names (`mids`) land on the input.
 */
export function MerchantForm({ advertiserId, merchant, onDone }: { advertiserId: string; merchant?: Merchant; onDone(saved?: Merchant): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const form = useForm<MerchantValues>({ initialValues: merchantValuesOf(merchant) });
  const base = `/v1/advertisers/${encodeURIComponent(advertiserId)}/merchants`;

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      merchant ? api<Merchant>('campaigns', `${base}/${encodeURIComponent(merchant.id)}`, { method: 'PUT', body }) : api<Merchant>('campaigns', base, { method: 'POST', body }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['advertisers'] });
      onDone(saved);
    },
    onError: (e) => {
      const { errors, unplaced: rest } = formErrorsOf(e, MERCHANT_FORM_FIELDS);
      form.setErrors(errors);
      setUnplaced(rest);
    },
  });

  const submit = (v: MerchantValues) => {
    setUnplaced([]);
    save.mutate(merchantBodyOf(v, { withId: !merchant }));
  };

  // A 409 is the service's reason in its words; a 400 lists only what found no input.
  const failure = save.error instanceof ApiError && save.error.status === 400 && save.error.fields.length ? unplaced.join('; ') : save.error?.message;

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={merchant ? t('merchantForm.editTitle', { name: merchant.name }) : t('merchantForm.addTitle')}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('merchantForm.name')} {...form.getInputProps('name')} />
          {merchant ? <TextInput label={t('merchantForm.id')} value={merchant.id} readOnly disabled /> : <TextInput label={t('merchantForm.id')} description={t('merchantForm.idHint')} {...form.getInputProps('id')} />}
        </SimpleGrid>
        <Textarea label={t('merchantForm.mids')} description={t('merchantForm.midsHint')} autosize minRows={2} {...form.getInputProps('mids')} />
        <Textarea label={t('merchantForm.descriptors')} description={t('merchantForm.descriptorsHint')} autosize minRows={2} {...form.getInputProps('descriptorPatterns')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('merchantForm.mccs')} description={t('merchantForm.mccsHint')} {...form.getInputProps('mccs')} />
          <TextInput label={t('merchantForm.country')} {...form.getInputProps('country')} />
        </SimpleGrid>
        <Checkbox.Group label={t('merchantForm.channels')} {...form.getInputProps('channels')}>
          <Group mt={4}>
            {CHANNELS.map((c) => (
              <Checkbox key={c} value={c} label={t(`channel.${c}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        {save.error && failure && (
          <Alert color="red" title={t('merchantForm.failed')} role="alert" data-testid="merchant-form-error">
            {failure}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {merchant ? t('merchantForm.submitEdit') : t('merchantForm.submitAdd')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
