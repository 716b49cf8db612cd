import { Alert, Button, Code, CopyButton, Group, Loader, Modal, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import type { Advertiser } from '../types';

/** What the new secret is kept in: this dialog's props only, never a query, storage or the URL. */
interface Created {
  advertiserId: string;
  secret: string;
}

/** The one time a postback secret is seen: copied to the shop, then gone from the console. */
function SecretDialog({ created, onClose }: { created: Created | undefined; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Modal opened={Boolean(created)} onClose={onClose} title={created ? t('secret.dialogTitle', { id: created.advertiserId }) : ''} size="lg" closeOnClickOutside={false}>
      {created && (
        <Stack data-testid="postback-secret">
          <Alert color="yellow" role="alert" title={t('secret.title')}>
            {t('secret.warning')}
          </Alert>
          <Group wrap="nowrap" align="center">
            <Code block flex={1} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="postback-secret-value" aria-label={t('secret.title')}>
              {created.secret}
            </Code>
            <CopyButton value={created.secret} timeout={2000}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy}>
                  {copied ? t('secret.copied') : t('secret.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('secret.done')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** Ops-admin: a new postback secret for an advertiser's shop (the previous one stops working at once). */
export function PostbackSecretPage() {
  const { t } = useI18n();
  const [advertiserId, setAdvertiserId] = useState('');
  const [created, setCreated] = useState<Created | undefined>();
  const advertisers = useQuery({ queryKey: ['advertisers'], queryFn: () => api<Advertiser[]>('campaigns', '/v1/advertisers') });
  const chosen = advertiserId || advertisers.data?.[0]?.id || '';
  const create = useMutation({
    mutationFn: (id: string) => api<{ advertiserId: string; secret: string }>('affiliate', `/v1/advertisers/${encodeURIComponent(id)}/postback-secret`, { method: 'POST', body: {} }),
    // The answer holds the secret in clear: into the dialog's state only, and the mutation is reset
    // so TanStack's mutation cache does not keep it either.
    gcTime: 0,
    onSuccess: (answer) => {
      setCreated({ advertiserId: answer.advertiserId, secret: answer.secret });
      create.reset();
    },
  });

  return (
    <Stack>
      <Title order={2}>{t('secret.title')}</Title>
      <Text size="sm">{t('secret.intro')}</Text>
      {advertisers.isPending && <Loader aria-label={t('common.loading')} />}
      {advertisers.error && (
        <Alert color="red" role="alert">
          {advertisers.error.message}
        </Alert>
      )}
      {advertisers.data && advertisers.data.length === 0 && <Alert color="yellow">{t('form.noAdvertisers')}</Alert>}
      {advertisers.data && advertisers.data.length > 0 && (
        <Group align="flex-end">
          <NativeSelect label={t('secret.advertiser')} value={chosen} onChange={(e) => setAdvertiserId(e.currentTarget.value)} data={advertisers.data.map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }))} />
          <Button onClick={() => create.mutate(chosen)} loading={create.isPending} disabled={!chosen}>
            {t('secret.create')}
          </Button>
        </Group>
      )}
      {create.error && (
        <Alert color="red" role="alert" title={t('secret.createFailed')}>
          {create.error.message}
        </Alert>
      )}
      <SecretDialog created={created} onClose={() => setCreated(undefined)} />
    </Stack>
  );
}
