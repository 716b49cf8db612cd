import { Alert, Badge, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, consoleServer } from '../api';
import { useI18n } from '../i18n';
import { isOps, type Session } from '../session';
import type { Campaign, CampaignStatus, LedgerChecks, PlatformHealth } from '../types';

const STATUSES: CampaignStatus[] = ['draft', 'active', 'paused', 'exhausted', 'ended'];

export function DashboardPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const health = useQuery({ queryKey: ['health'], queryFn: () => consoleServer<PlatformHealth>('/api/health'), refetchInterval: 5_000 });
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => api<Campaign[]>('campaigns', '/v1/campaigns') });
  const ledger = useQuery({ queryKey: ['ledger-checks'], queryFn: () => api<LedgerChecks>('billing', '/v1/ledger/checks'), enabled: isOps(session), refetchInterval: 30_000 });

  const counts = STATUSES.map((status) => ({ status, count: campaigns.data?.filter((c) => c.status === status).length ?? 0 }));

  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      <Card withBorder component="section" aria-labelledby="health-title">
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4" id="health-title">
            {t('dashboard.health')}
          </Title>
          {health.data && (
            <Text size="sm" c="dimmed">
              {t('dashboard.checkedAt', { time: new Date(health.data.checkedAt).toLocaleTimeString(language) })}
            </Text>
          )}
        </Group>
        {health.isPending && <Loader aria-label={t('common.loading')} />}
        {health.error && <Alert color="red">{health.error.message}</Alert>}
        {health.data && (
          <Stack gap="xs">
            <Text fw={500} data-testid="health-summary">
              {health.data.ready ? t('dashboard.allReady') : t('dashboard.someNotReady')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
              {health.data.services.map((s) => (
                <Card key={s.service} withBorder padding="sm" data-testid={`health-${s.service}`} data-ready={s.ready}>
                  <Text fw={600}>{s.service}</Text>
                  <Badge color={s.ready ? 'green' : 'red'} variant="filled">
                    {s.ready ? t('dashboard.ready') : t('dashboard.notReady')}
                  </Badge>
                  {!s.ready && (
                    <Text size="xs" c="dimmed" mt={4}>
                      {s.error ?? s.checks.filter((c) => !c.ok).map((c) => c.name).join(', ')}
                    </Text>
                  )}
                </Card>
              ))}
            </SimpleGrid>
          </Stack>
        )}
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder component="section" aria-labelledby="by-status-title">
          <Title order={3} size="h4" id="by-status-title" mb="sm">
            {t('dashboard.campaignsByStatus')}
          </Title>
          {campaigns.isPending && <Loader aria-label={t('common.loading')} />}
          {campaigns.error && <Alert color="red">{campaigns.error.message}</Alert>}
          {campaigns.data && (
            <Table>
              <Table.Tbody>
                {counts.map((c) => (
                  <Table.Tr key={c.status}>
                    <Table.Td>{t(`status.${c.status}`)}</Table.Td>
                    <Table.Td ta="right" data-testid={`count-${c.status}`}>
                      {c.count}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        {isOps(session) && (
          <Card withBorder component="section" aria-labelledby="ledger-title">
            <Title order={3} size="h4" id="ledger-title" mb="sm">
              {t('dashboard.ledger')}
            </Title>
            {ledger.isPending && <Loader aria-label={t('common.loading')} />}
            {ledger.error && <Alert color="red">{ledger.error.message}</Alert>}
            {ledger.data && (
              <Alert color={ledger.data.ok ? 'green' : 'red'} data-testid="ledger-status">
                {ledger.data.ok ? t('dashboard.ledgerOk') : t('dashboard.ledgerFailed', { names: ledger.data.checks.filter((c) => !c.ok).map((c) => c.name).join(', ') })}
              </Alert>
            )}
          </Card>
        )}
      </SimpleGrid>
    </Stack>
  );
}
