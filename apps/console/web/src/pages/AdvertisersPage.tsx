import { Alert, Anchor, Button, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { searchAdvertisers } from '../advertisers';
import { api } from '../api';
import { useI18n } from '../i18n';
import { isOpsAdmin, type Session } from '../session';
import type { Advertiser } from '../types';
import { AdvertiserForm } from './AdvertiserForm';
import { BudgetSummary } from './BudgetFields';

/** The campaigns service's advertisers (an advertiser user gets its own only: the API filters). */
export function AdvertisersPage({ session }: { session: Session }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const canWrite = isOpsAdmin(session);
  const [creating, setCreating] = useState(false);
  const [query, setQuery] = useState('');
  const advertisers = useQuery({ queryKey: ['advertisers'], queryFn: () => api<Advertiser[]>('campaigns', '/v1/advertisers') });
  const shown = advertisers.data ? searchAdvertisers(advertisers.data, query) : [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('advertisers.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{t('advertisers.new')}</Button>}
      </Group>
      <Text size="sm" c="dimmed">
        {t('advertisers.intro')}
      </Text>
      <TextInput type="search" label={t('advertisers.search')} value={query} onChange={(e) => setQuery(e.currentTarget.value)} maw={360} />
      {advertisers.isPending && <Loader aria-label={t('common.loading')} />}
      {advertisers.error && <Alert color="red">{advertisers.error.message}</Alert>}
      {advertisers.data && advertisers.data.length === 0 && <Text>{t('advertisers.empty')}</Text>}
      {advertisers.data && advertisers.data.length > 0 && shown.length === 0 && <Text data-testid="advertisers-no-match">{t('advertisers.noMatch', { query: query.trim() })}</Text>}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-label={t('advertisers.title')} data-testid="advertisers-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('advertisers.col.advertiser')}</Table.Th>
                <Table.Th>{t('advertisers.col.currency')}</Table.Th>
                <Table.Th ta="right">{t('advertisers.col.merchants')}</Table.Th>
                <Table.Th>{t('advertisers.col.budget')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((a) => (
                <Table.Tr key={a.id} data-advertiser-id={a.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/advertisers/${encodeURIComponent(a.id)}`} size="sm" fw={500}>
                      {a.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {a.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>{a.billingCurrency}</Table.Td>
                  <Table.Td ta="right" data-testid="merchant-count">
                    {a.merchants.length}
                  </Table.Td>
                  <Table.Td>
                    <BudgetSummary budget={a.budget} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('advertiserForm.title')} size="lg">
        {creating && (
          <AdvertiserForm
            onDone={(created) => {
              setCreating(false);
              if (!created) return;
              // A new advertiser has no merchant yet: its page is where they are added.
              navigate(`/advertisers/${encodeURIComponent(created.id)}`, { state: { message: t('advertisers.created', { name: created.name }) } });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
