import { Alert, Badge, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';
import type { PurchaseDecisions, TransactionOutcomes } from '../types';

/**
 * "Why no cashback?": offer matching's verdict on every candidate campaign of a bank's
 * transaction, and attribution's final decision on the purchase it belongs to.
 */
export function TransactionPage() {
  const { t, language } = useI18n();
  const [lookup, setLookup] = useState<{ bank: string; transactionId: string } | undefined>();
  const form = useForm({ initialValues: { bank: '', transactionId: '' } });
  const outcomes = useQuery({
    queryKey: ['outcomes', lookup?.bank, lookup?.transactionId],
    queryFn: () => api<TransactionOutcomes>('offer-matching', `/v1/transactions/${encodeURIComponent(lookup!.bank)}/${encodeURIComponent(lookup!.transactionId)}/outcomes`),
    enabled: Boolean(lookup),
  });
  const purchaseId = outcomes.data?.purchaseId;
  const decisions = useQuery({
    queryKey: ['decisions', purchaseId],
    queryFn: () => api<PurchaseDecisions>('attribution', `/v1/purchases/${encodeURIComponent(purchaseId!)}/decisions`),
    enabled: Boolean(purchaseId),
  });
  const refresh = () => {
    void outcomes.refetch();
    if (purchaseId) void decisions.refetch();
  };

  return (
    <Stack>
      <Title order={2}>{t('tx.title')}</Title>
      <form
        onSubmit={form.onSubmit((v) => {
          const next = { bank: v.bank.trim(), transactionId: v.transactionId.trim() };
          if (lookup?.bank === next.bank && lookup.transactionId === next.transactionId) refresh();
          else setLookup(next);
        })}
        aria-label={t('tx.title')}
      >
        <Group align="flex-end">
          <TextInput label={t('tx.bank')} required {...form.getInputProps('bank')} />
          <TextInput label={t('tx.transactionId')} required miw={280} {...form.getInputProps('transactionId')} />
          <Button type="submit" loading={outcomes.isFetching}>
            {t('tx.submit')}
          </Button>
        </Group>
      </form>
      {outcomes.isLoading && <Loader aria-label={t('common.loading')} />}
      {outcomes.error && (
        <Alert color="red" role="alert" data-testid="lookup-error">
          {outcomes.error.message}
        </Alert>
      )}
      {outcomes.data && (
        <Card withBorder component="section" aria-labelledby="candidates-title" data-testid="outcomes">
          <Group gap="xl" mb="sm">
            <Text size="sm">
              {t('tx.kind')}: <b>{outcomes.data.kind}</b>
            </Text>
            <Text size="sm">
              {t('tx.purchase')}: <b>{outcomes.data.purchaseId}</b>
            </Text>
            <Text size="sm">
              {t('tx.customer')}: <b>{outcomes.data.customerId}</b>
            </Text>
          </Group>
          <Text size="sm" mb="sm" data-testid="explanation">
            {outcomes.data.explanation}
          </Text>
          <Title order={3} size="h4" id="candidates-title" mb="xs">
            {t('tx.candidates')}
          </Title>
          {outcomes.data.outcomes.length === 0 ? (
            <Text size="sm">{t('tx.noCandidates')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table data-testid="candidates">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('tx.col.campaign')}</Table.Th>
                    <Table.Th>{t('tx.col.outcome')}</Table.Th>
                    <Table.Th>{t('tx.col.reason')}</Table.Th>
                    <Table.Th>{t('tx.col.matchedBy')}</Table.Th>
                    <Table.Th ta="right">{t('tx.col.reward')}</Table.Th>
                    <Table.Th ta="right">{t('tx.col.fee')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {outcomes.data.outcomes.map((o) => (
                    <Table.Tr key={o.campaignId} data-campaign-id={o.campaignId}>
                      <Table.Td>
                        <Text size="sm">{o.campaignName ?? o.campaignId}</Text>
                        <Text size="xs" c="dimmed">
                          {o.campaignId}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={o.outcome === 'matched' ? 'green' : 'gray'}>{o.outcome}</Badge>
                      </Table.Td>
                      <Table.Td data-testid="reason-code">
                        <code>{o.reasonCode}</code>
                      </Table.Td>
                      <Table.Td>{o.matchedBy}</Table.Td>
                      <Table.Td ta="right">{o.rewardAmount ? formatMoney(o.rewardAmount, language) : '–'}</Table.Td>
                      <Table.Td ta="right">{o.platformFee ? formatMoney(o.platformFee, language) : '–'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
      )}
      {purchaseId && (
        <Card withBorder component="section" aria-labelledby="decisions-title" data-testid="decisions">
          <Title order={3} size="h4" id="decisions-title" mb="xs">
            {t('tx.decisions')}
          </Title>
          {decisions.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
          {decisions.error && <Alert color="red">{decisions.error.message}</Alert>}
          {decisions.data && decisions.data.decisions.length === 0 && <Text size="sm">{t('tx.noDecisions')}</Text>}
          {decisions.data && decisions.data.decisions.length > 0 && (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tx.col.campaign')}</Table.Th>
                  <Table.Th>{t('tx.col.outcome')}</Table.Th>
                  <Table.Th>{t('tx.col.reason')}</Table.Th>
                  <Table.Th>{t('tx.col.rewardId')}</Table.Th>
                  <Table.Th>{t('tx.col.decidedAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {decisions.data.decisions.map((d) => (
                  <Table.Tr key={d.matchId} data-campaign-id={d.campaignId}>
                    <Table.Td>{d.campaignId}</Table.Td>
                    <Table.Td>
                      <Badge color={d.outcome === 'rewarded' ? 'green' : 'gray'}>{d.outcome}</Badge>
                    </Table.Td>
                    <Table.Td data-testid="decision-reason">
                      <code>{d.reasonCode}</code>
                    </Table.Td>
                    <Table.Td>{d.rewardId ?? '–'}</Table.Td>
                    <Table.Td>{new Date(d.decidedAt).toLocaleString(language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      )}
    </Stack>
  );
}
