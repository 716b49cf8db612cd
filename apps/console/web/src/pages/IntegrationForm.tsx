import { Alert, Button, Group, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, formErrorsOf } from '../api';
import { useI18n } from '../i18n';
import type { Integration, IntegrationKind } from '../types';

interface Values {
  id: string;
  kind: IntegrationKind;
  name: string;
  locale: 'sv' | 'en';
  publisherId: string;
}

/** Form fields an API field name can land on (see formErrorsOf). */
const FORM_FIELDS = ['id', 'kind', 'name', 'locale', 'publisherId'] as const;
const KINDS: IntegrationKind[] = ['bank', 'rewards-app', 'publisher'];

/**
 * Registers an integration through `POST /v1/integrations`. Every rule (the id's shape, the
 * publisher id) is the API's: its 400 messages land on the field they name, and its 409 (the id
 * exists) is shown as it says it.
 */
export function IntegrationForm({ onDone }: { onDone(created?: Integration): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const form = useForm<Values>({ initialValues: { id: '', kind: 'bank', name: '', locale: 'sv', publisherId: '' } });

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Integration>('campaigns', '/v1/integrations', { method: 'POST', body }),
    onSuccess: async (integration) => {
      await queryClient.invalidateQueries({ queryKey: ['integrations'] });
      onDone(integration);
    },
    onError: (e) => {
      const { errors, unplaced: rest } = formErrorsOf(e, FORM_FIELDS);
      form.setErrors(errors);
      setUnplaced(rest);
    },
  });

  const submit = (v: Values) => {
    setUnplaced([]);
    create.mutate({ id: v.id.trim(), kind: v.kind, name: v.name, locale: v.locale, ...(v.publisherId.trim() ? { publisherId: v.publisherId.trim() } : {}) });
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={t('integrationForm.title')}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('integrationForm.id')} description={t('integrationForm.idHint')} {...form.getInputProps('id')} />
          <NativeSelect label={t('integrationForm.kind')} data={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} {...form.getInputProps('kind')} />
        </SimpleGrid>
        <TextInput label={t('integrationForm.name')} {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('integrationForm.locale')}
            data={[
              { value: 'sv', label: 'svenska' },
              { value: 'en', label: 'English' },
            ]}
            {...form.getInputProps('locale')}
          />
          <TextInput label={t('integrationForm.publisherId')} description={t('integrationForm.publisherHint')} {...form.getInputProps('publisherId')} />
        </SimpleGrid>
        {create.error && (
          <Alert color="red" title={t('integrationForm.failed')} role="alert" data-testid="integration-form-error">
            {create.error instanceof ApiError && create.error.fields.length ? unplaced.join('; ') || create.error.fields.map((f) => f.field).join(', ') : create.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('integrationForm.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
