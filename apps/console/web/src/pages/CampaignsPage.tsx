import { Alert, Anchor, Badge, Button, CloseButton, Group, Loader, Menu, Modal, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';
import { isOpsAdmin, type Session } from '../session';
import type { BudgetStatus, Campaign, CampaignStatus } from '../types';
import { CampaignForm } from './CampaignForm';

const ACTIONS = ['activate', 'pause', 'resume', 'end'] as const;
type Action = (typeof ACTIONS)[number];
const STATUS_COLORS: Record<CampaignStatus, string> = { draft: 'gray', active: 'green', paused: 'yellow', exhausted: 'orange', ended: 'dark' };

/** Spend against the total budget, from billing (which learns a campaign from the campaigns topic). */
function BudgetBurn({ campaign }: { campaign: Campaign }) {
  const { t, language } = useI18n();
  const budget = useQuery({
    queryKey: ['budget', campaign.id],
    queryFn: () => api<BudgetStatus>('billing', `/v1/campaigns/${encodeURIComponent(campaign.id)}/budget`),
    refetchInterval: 15_000,
  });
  if (budget.isPending) return <Loader size="xs" aria-label={t('common.loading')} />;
  if (budget.error) return <Text size="xs" c="dimmed">{budget.error instanceof ApiError && budget.error.status === 404 ? t('campaigns.notInBilling') : budget.error.message}</Text>;
  return (
    <Stack gap={2}>
      <Text size="xs">
        {formatMoney(budget.data.spent, language)} ({budget.data.percent} %)
      </Text>
      <Progress value={Math.min(100, budget.data.percent)} size="sm" aria-label={`${t('campaigns.col.spent')} ${budget.data.percent} %`} />
    </Stack>
  );
}

export function CampaignsPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const canWrite = isOpsAdmin(session);
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<{ color: 'red' | 'green'; title?: string; text: string } | undefined>();
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => api<Campaign[]>('campaigns', '/v1/campaigns') });

  const move = useMutation({
    mutationFn: ({ campaign, action }: { campaign: Campaign; action: Action }) => api<Campaign>('campaigns', `/v1/campaigns/${encodeURIComponent(campaign.id)}/${action}`, { method: 'POST', body: {} }),
    onSuccess: async (updated) => {
      setMessage({ color: 'green', text: t('campaigns.moved', { name: updated.name, status: t(`status.${updated.status}`) }) });
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['campaigns'] }), queryClient.invalidateQueries({ queryKey: ['budget', updated.id] })]);
    },
    // A 409 carries the service's reason (e.g. "campaign is active; only a draft can be activated").
    onError: (e, { action }) => setMessage({ color: 'red', title: t('campaigns.refused', { action: t(`campaigns.${action}`) }), text: e.message }),
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('campaigns.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{t('campaigns.new')}</Button>}
      </Group>
      {message && (
        <Alert color={message.color} title={message.title} role={message.color === 'red' ? 'alert' : 'status'} data-testid="campaign-message" withCloseButton={false}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{message.text}</Text>
            <CloseButton aria-label="Dismiss" onClick={() => setMessage(undefined)} />
          </Group>
        </Alert>
      )}
      {campaigns.isPending && <Loader aria-label={t('common.loading')} />}
      {campaigns.error && <Alert color="red">{campaigns.error.message}</Alert>}
      {campaigns.data && campaigns.data.length === 0 && <Text>{t('campaigns.empty')}</Text>}
      {campaigns.data && campaigns.data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label={t('campaigns.title')} data-testid="campaigns-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.col.name')}</Table.Th>
                <Table.Th>{t('campaigns.col.advertiser')}</Table.Th>
                <Table.Th>{t('campaigns.col.status')}</Table.Th>
                <Table.Th ta="right">{t('campaigns.col.budget')}</Table.Th>
                <Table.Th>{t('campaigns.col.spent')}</Table.Th>
                {canWrite && <Table.Th>{t('campaigns.col.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.data.map((c) => (
                <Table.Tr key={c.id} data-campaign-id={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/campaigns/${encodeURIComponent(c.id)}`} size="sm" fw={500}>
                      {c.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {c.id} · {c.pricing.model}
                    </Text>
                  </Table.Td>
                  <Table.Td>{c.advertiserId}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[c.status]} data-testid="campaign-status" data-status={c.status}>
                      {t(`status.${c.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{formatMoney(c.budget.total, language)}</Table.Td>
                  <Table.Td miw={140}>
                    <BudgetBurn campaign={c} />
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <Button size="xs" variant="default" aria-label={`${t('campaigns.actions')}: ${c.name}`} loading={move.isPending && move.variables?.campaign.id === c.id}>
                            {t('campaigns.actions')}
                          </Button>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {/* Every action is offered; the service decides, and a 409 says why not. */}
                          {ACTIONS.map((action) => (
                            <Menu.Item key={action} onClick={() => move.mutate({ campaign: c, action })}>
                              {t(`campaigns.${action}`)}
                            </Menu.Item>
                          ))}
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('form.title')} size="xl">
        {creating && (
          <CampaignForm
            onDone={(created) => {
              setCreating(false);
              if (created) setMessage({ color: 'green', text: t('form.created', { name: created.name }) });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
