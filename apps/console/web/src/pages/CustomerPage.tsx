import { Alert, Badge, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatCommission } from '../affiliate';
import { api, ApiError, formFieldOf } from '../api';
import { CUSTOMER_FIELDS, customerFieldErrors, isDeclineReason, isRewardStatus } from '../customer';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';
import type { CustomerOffers, CustomerRewards } from '../types';

const STATUS_COLORS: Record<string, string> = { earned: 'blue', confirmed: 'green', reversed: 'gray' };

/** A 400 whose every field is shown on the lookup's inputs needs no alert of its own. */
const shownOnInputs = (error: Error | null): boolean => error instanceof ApiError && error.status === 400 && error.fields.length > 0 && error.fields.every((f) => formFieldOf(f.field, CUSTOMER_FIELDS));

/**
 * Customer care: a bank's customer's rewards and declined matches (attribution), and the offers
 * the customer can earn on now (offer matching). A customer is (bank, customer id).
 */
export function CustomerPage() {
  const { t, language } = useI18n();
  const [lookup, setLookup] = useState<{ bank: string; customerId: string } | undefined>();
  const form = useForm({ initialValues: { bank: '', customerId: '' } });
  const path = lookup ? `/v1/customers/${encodeURIComponent(lookup.customerId)}` : '';
  const query = lookup ? `?bank=${encodeURIComponent(lookup.bank)}` : '';
  const rewards = useQuery({ queryKey: ['customer-rewards', lookup?.bank, lookup?.customerId], queryFn: () => api<CustomerRewards>('attribution', `${path}/rewards${query}`), enabled: Boolean(lookup) });
  const offers = useQuery({ queryKey: ['customer-offers', lookup?.bank, lookup?.customerId], queryFn: () => api<CustomerOffers>('offer-matching', `${path}/offers${query}`), enabled: Boolean(lookup) });
  const apiErrors = customerFieldErrors([rewards.error, offers.error]);
  const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(language) : '–');
  const nothing = rewards.data && offers.data && rewards.data.rewards.length === 0 && rewards.data.declined.length === 0 && offers.data.offers.length === 0;

  return (
    <Stack>
      <Title order={2}>{t('customer.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('customer.intro')}
      </Text>
      <form
        aria-label={t('customer.title')}
        onSubmit={form.onSubmit((v) => {
          const next = { bank: v.bank.trim(), customerId: v.customerId.trim() };
          if (lookup?.bank === next.bank && lookup.customerId === next.customerId) {
            void rewards.refetch();
            void offers.refetch();
          } else setLookup(next);
        })}
      >
        <Group align="flex-start">
          <TextInput label={t('customer.bank')} required {...form.getInputProps('bank')} error={form.errors.bank ?? apiErrors.errors.bank} />
          <TextInput label={t('customer.customerId')} required miw={280} {...form.getInputProps('customerId')} error={form.errors.customerId ?? apiErrors.errors.customerId} />
          <Button type="submit" mt={25} loading={rewards.isFetching || offers.isFetching}>
            {t('customer.submit')}
          </Button>
        </Group>
      </form>
      {apiErrors.unplaced.length > 0 && (
        <Alert color="red" role="alert">
          {apiErrors.unplaced.join('; ')}
        </Alert>
      )}
      {lookup && (rewards.isLoading || offers.isLoading) && <Loader aria-label={t('common.loading')} />}
      {nothing && (
        <Alert color="gray" data-testid="customer-empty">
          {t('customer.nothing')}
        </Alert>
      )}

      {lookup && !nothing && (rewards.data || (rewards.error && !shownOnInputs(rewards.error))) && (
        <>
          <Card withBorder component="section" aria-labelledby="rewards-title" data-testid="customer-rewards">
            <Title order={3} size="h4" id="rewards-title" mb="xs">
              {t('customer.rewards')}
            </Title>
            {rewards.error && (
              <Alert color="red" role="alert">
                {rewards.error.message}
              </Alert>
            )}
            {rewards.data && rewards.data.rewards.length === 0 && <Text size="sm">{t('customer.noRewards')}</Text>}
            {rewards.data && rewards.data.rewards.length > 0 && (
              <Table.ScrollContainer minWidth={760}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('customer.col.campaign')}</Table.Th>
                      <Table.Th>{t('customer.col.status')}</Table.Th>
                      <Table.Th ta="right">{t('customer.col.amount')}</Table.Th>
                      <Table.Th ta="right">{t('customer.col.purchase')}</Table.Th>
                      <Table.Th>{t('customer.col.purchased')}</Table.Th>
                      <Table.Th>{t('customer.col.earned')}</Table.Th>
                      <Table.Th>{t('customer.col.settled')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rewards.data.rewards.map((r) => (
                      <Table.Tr key={r.rewardId} data-reward-id={r.rewardId} data-campaign-id={r.campaignId}>
                        <Table.Td>
                          <Text size="sm">{r.campaignName ?? r.campaignId}</Text>
                          <Text size="xs" c="dimmed">
                            {r.campaignId}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_COLORS[r.status] ?? 'gray'} data-testid="reward-status" data-status={r.status}>
                            {isRewardStatus(r.status) ? t(`rewardStatus.${r.status}`) : r.status}
                          </Badge>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Text size="sm">{formatMoney(r.amount, language)}</Text>
                          {r.reversedAmount.amountMinor > 0 && (
                            <Text size="xs" c="dimmed">
                              {t('customer.earnedWas', { amount: formatMoney(r.earnedAmount, language) })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td ta="right">
                          <Text size="sm">{formatMoney(r.purchaseAmount, language)}</Text>
                          <Text size="xs" c="dimmed">
                            {r.purchaseId}
                          </Text>
                        </Table.Td>
                        <Table.Td>{date(r.purchasedAt)}</Table.Td>
                        <Table.Td>{date(r.earnedAt)}</Table.Td>
                        <Table.Td>{date(r.reversedAt ?? r.confirmedAt)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
          {rewards.data && (
            <Card withBorder component="section" aria-labelledby="declined-title" data-testid="customer-declined">
              <Title order={3} size="h4" id="declined-title" mb="xs">
                {t('customer.declined')}
              </Title>
              {rewards.data.declined.length === 0 ? (
                <Text size="sm">{t('customer.noDeclined')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={760}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('customer.col.campaign')}</Table.Th>
                        <Table.Th>{t('customer.col.reason')}</Table.Th>
                        <Table.Th>{t('customer.col.purchase')}</Table.Th>
                        <Table.Th>{t('customer.col.purchased')}</Table.Th>
                        <Table.Th>{t('customer.col.decided')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {rewards.data.declined.map((d) => (
                        <Table.Tr key={d.matchId} data-campaign-id={d.campaignId} data-purchase-id={d.purchaseId}>
                          <Table.Td>{d.campaignId}</Table.Td>
                          <Table.Td maw={360} data-testid="declined-reason">
                            <Text size="sm">{isDeclineReason(d.reasonCode) ? t(`declineReason.${d.reasonCode}`) : d.reasonCode}</Text>
                            <Text size="xs" c="dimmed">
                              <code>{d.reasonCode}</code>
                            </Text>
                          </Table.Td>
                          <Table.Td>{d.purchaseId}</Table.Td>
                          <Table.Td>{date(d.purchasedAt)}</Table.Td>
                          <Table.Td>{date(d.decidedAt)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Card>
          )}
        </>
      )}

      {lookup && !nothing && (offers.data || (offers.error && !shownOnInputs(offers.error))) && (
        <Card withBorder component="section" aria-labelledby="offers-title" data-testid="customer-offers">
          <Title order={3} size="h4" id="offers-title" mb="xs">
            {t('customer.offers')}
          </Title>
          {offers.error && (
            <Alert color="red" role="alert">
              {offers.error.message}
            </Alert>
          )}
          {offers.data && offers.data.offers.length === 0 && <Text size="sm">{t('customer.noOffers')}</Text>}
          {offers.data && offers.data.offers.length > 0 && (
            <Table.ScrollContainer minWidth={760}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('customer.col.campaign')}</Table.Th>
                    <Table.Th>{t('customer.col.advertiser')}</Table.Th>
                    <Table.Th>{t('customer.col.reward')}</Table.Th>
                    <Table.Th>{t('customer.col.activation')}</Table.Th>
                    <Table.Th ta="right">{t('customer.col.remaining')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {offers.data.offers.map((o) => (
                    <Table.Tr key={o.campaignId} data-campaign-id={o.campaignId}>
                      <Table.Td>
                        <Text size="sm">{o.name}</Text>
                        <Text size="xs" c="dimmed">
                          {o.campaignId}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{o.advertiserName}</Text>
                        <Text size="xs" c="dimmed">
                          {o.merchants.map((m) => m.name).join(', ')}
                        </Text>
                      </Table.Td>
                      <Table.Td>{formatCommission(o.reward, language)}</Table.Td>
                      <Table.Td data-testid="offer-activation">
                        {!o.activation.required
                          ? t('customer.activation.notNeeded')
                          : o.activation.activated
                            ? t('customer.activation.activeUntil', { time: date(o.activation.activeUntil) })
                            : t('customer.activation.notActivated')}
                      </Table.Td>
                      <Table.Td ta="right">{o.rewardsRemaining ?? t('customer.unlimited')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
      )}
    </Stack>
  );
}
