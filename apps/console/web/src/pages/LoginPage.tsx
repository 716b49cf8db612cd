import { Alert, Button, Center, Group, Loader, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError, consoleServer } from '../api';
import { useI18n } from '../i18n';
import type { Role } from '../session';

interface AuthConfig {
  devLogin: boolean;
  oidc: { issuer: string } | null;
}

export function LoginPage({ onLoggedIn, expired, languageToggle }: { onLoggedIn(token: string): void; expired: boolean; languageToggle: ReactNode }) {
  const { t } = useI18n();
  const config = useQuery({ queryKey: ['auth-config'], queryFn: () => consoleServer<AuthConfig>('/auth/config') });
  const form = useForm({ initialValues: { role: 'ops-admin' as Role, advertiserId: '' } });
  const login = useMutation({
    mutationFn: (values: { role: Role; advertiserId: string }) =>
      consoleServer<{ token: string }>('/auth/dev-login', { method: 'POST', body: { role: values.role, ...(values.role === 'advertiser' ? { advertiserId: values.advertiserId } : {}) } }),
    onSuccess: (r) => onLoggedIn(r.token),
    onError: (e) => {
      if (e instanceof ApiError) form.setErrors(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
    },
  });

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} component="main">
        <Stack>
          <Group justify="space-between">
            <Title order={1} size="h3">
              {t('login.title')}
            </Title>
            {languageToggle}
          </Group>
          {expired && <Alert color="yellow">{t('login.expired')}</Alert>}
          {config.isPending && <Loader aria-label={t('common.loading')} />}
          {config.data?.oidc && <Text size="sm">{t('login.oidc', { issuer: config.data.oidc.issuer })}</Text>}
          {config.data && !config.data.devLogin && <Alert color="gray">{t('login.off')}</Alert>}
          {config.data?.devLogin && (
            <form onSubmit={form.onSubmit((values) => login.mutate(values))}>
              <Stack>
                <Text size="sm">{t('login.devIntro')}</Text>
                <NativeSelect
                  label={t('login.role')}
                  data={(['ops-admin', 'ops-viewer', 'advertiser'] as const).map((r) => ({ value: r, label: `${t(`role.${r}`)} (${r})` }))}
                  {...form.getInputProps('role')}
                />
                {form.values.role === 'advertiser' && <TextInput label={t('login.advertiserId')} required {...form.getInputProps('advertiserId')} />}
                {login.error && !(login.error instanceof ApiError && login.error.fields.length) && <Alert color="red">{login.error.message}</Alert>}
                <Button type="submit" loading={login.isPending}>
                  {t('login.submit')}
                </Button>
              </Stack>
            </form>
          )}
          {config.error && <Alert color="red">{config.error.message}</Alert>}
        </Stack>
      </Paper>
    </Center>
  );
}
