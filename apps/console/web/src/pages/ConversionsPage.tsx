import { Alert, Badge, Button, Group, Loader, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { holdRule, isHoldReason } from '../affiliate';
import { api } from '../api';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';
import { isOps, isOpsAdmin, type Session } from '../session';
import type { Advertiser, Campaign, Conversion, ConversionStatus } from '../types';

const STATUSES: ConversionStatus[] = ['held', 'pending', 'confirmed', 'reversed', 'rejected', 'unattributed', 'lead-recorded'];
const STATUS_COLORS: Record<ConversionStatus, string> = { held: 'orange', pending: 'blue', confirmed: 'green', reversed: 'gray', rejected: 'red', unattributed: 'yellow', 'lead-recorded': 'teal' };

/** Sales the shops reported to the affiliate network; held ones wait for review with their reason. */
export function ConversionsPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const ops = isOps(session);
  const [status, setStatus] = useState<ConversionStatus | ''>('held');
  const [advertiserId, setAdvertiserId] = useState('');
  // An advertiser user sees its own (the API filters); ops may narrow to one advertiser.
  const advertisers = useQuery({ queryKey: ['advertisers'], queryFn: () => api<Advertiser[]>('campaigns', '/v1/advertisers'), enabled: ops });
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => api<Campaign[]>('campaigns', '/v1/campaigns') });
  const query = new URLSearchParams({ ...(status ? { status } : {}), ...(ops && advertiserId ? { advertiserId } : {}) }).toString();
  const conversions = useQuery({ queryKey: ['conversions', query], queryFn: () => api<Conversion[]>('affiliate', `/v1/conversions${query ? `?${query}` : ''}`) });
  const campaignName = (id: string | null) => (id ? campaigns.data?.find((c) => c.id === id)?.name : undefined);
  const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, language);
  // Ops admins decide held sales: release pays as recorded, reject closes unpaid.
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ color: string; text: string } | undefined>();
  const review = useMutation({
    mutationFn: ({ conversion, decision }: { conversion: Conversion; decision: 'release' | 'reject' }) =>
      api<Conversion>('affiliate', `/v1/conversions/${encodeURIComponent(conversion.conversionId)}/review`, { method: 'POST', body: { decision } }),
    onSuccess: async (c, { decision }) => {
      await queryClient.invalidateQueries({ queryKey: ['conversions'] });
      setNotice({ color: decision === 'release' ? 'green' : 'gray', text: t(decision === 'release' ? 'conversions.released' : 'conversions.rejectedMessage', { id: c.orderId }) });
    },
    onError: (e) => setNotice({ color: 'red', text: e.message }),
  });

  return (
    <Stack>
      <Title order={2}>{t('conversions.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('conversions.intro')}
      </Text>
      <Group align="flex-end">
        <NativeSelect
          label={t('conversions.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as ConversionStatus | '')}
          data={[...STATUSES.map((s) => ({ value: s, label: t(`conversionStatus.${s}`) })), { value: '', label: t('conversions.allStatuses') }]}
        />
        {ops && (
          <NativeSelect
            label={t('conversions.advertiser')}
            value={advertiserId}
            onChange={(e) => setAdvertiserId(e.currentTarget.value)}
            data={[{ value: '', label: t('conversions.allAdvertisers') }, ...(advertisers.data ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }))]}
          />
        )}
      </Group>
      {notice && (
        <Alert color={notice.color} role="status" withCloseButton onClose={() => setNotice(undefined)}>
          {notice.text}
        </Alert>
      )}
      {conversions.isPending && <Loader aria-label={t('common.loading')} />}
      {conversions.error && (
        <Alert color="red" role="alert">
          {conversions.error.message}
        </Alert>
      )}
      {conversions.data && conversions.data.length === 0 && <Text>{t('conversions.empty')}</Text>}
      {conversions.data && conversions.data.length > 0 && (
        <Table.ScrollContainer minWidth={960}>
          <Table striped aria-label={t('conversions.title')} data-testid="conversions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('conversions.col.order')}</Table.Th>
                <Table.Th>{t('conversions.col.publisher')}</Table.Th>
                <Table.Th>{t('conversions.col.program')}</Table.Th>
                <Table.Th ta="right">{t('conversions.col.amount')}</Table.Th>
                <Table.Th ta="right">{t('conversions.col.commission')}</Table.Th>
                <Table.Th ta="right">{t('conversions.col.fee')}</Table.Th>
                <Table.Th>{t('conversions.col.status')}</Table.Th>
                <Table.Th>{t('conversions.col.reason')}</Table.Th>
                <Table.Th>{t('conversions.col.converted')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {conversions.data.map((c) => (
                <Table.Tr key={c.conversionId} data-conversion-id={c.conversionId} data-order-id={c.orderId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {c.orderId}
                    </Text>
                    {ops && (
                      <Text size="xs" c="dimmed">
                        {c.advertiserId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.publisherId ?? '—'}</Text>
                    {c.attributedBy && (
                      <Text size="xs" c="dimmed">
                        {c.attributedBy === 'click' || c.attributedBy === 'voucher-code' ? t(`conversions.by.${c.attributedBy}`) : c.attributedBy}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{campaignName(c.campaignId) ?? c.campaignId ?? '—'}</Text>
                    {campaignName(c.campaignId) && (
                      <Text size="xs" c="dimmed">
                        {c.campaignId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="order-amount">
                    <Text size="sm">{money(c.orderAmountMinor, c.currency)}</Text>
                    {c.currentAmountMinor !== c.orderAmountMinor && (
                      <Text size="xs" c="dimmed">
                        {t('conversions.now', { amount: money(c.currentAmountMinor, c.currency) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="commission">
                    <Text size="sm">{money(c.commissionMinor, c.currency)}</Text>
                    {c.commissionReversedMinor > 0 && (
                      <Text size="xs" c="dimmed">
                        {t('conversions.reversedPart', { amount: money(c.commissionReversedMinor, c.currency) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{money(c.feeMinor, c.currency)}</Table.Td>
                  <Table.Td>
                    <Badge styles={{ label: { overflow: 'visible' } }} color={STATUS_COLORS[c.status] ?? 'gray'} data-testid="conversion-status" data-status={c.status}>
                      {STATUSES.includes(c.status) ? t(`conversionStatus.${c.status}`) : c.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td maw={320}>
                    {c.holdReason ? <HoldReason conversion={c} canReview={isOpsAdmin(session)} busy={review.isPending} onReview={(decision) => review.mutate({ conversion: c, decision })} /> : '—'}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{new Date(c.convertedAt).toLocaleString(language)}</Text>
                    {c.lockedUntil && c.status === 'pending' && (
                      <Text size="xs" c="dimmed">
                        {t('conversions.lockedUntil', { time: new Date(c.lockedUntil).toLocaleDateString(language) })}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {conversions.data && conversions.data.length >= 500 && (
        <Text size="xs" c="dimmed">
          {t('conversions.limit')}
        </Text>
      )}
    </Stack>
  );
}

/** Why a conversion is held (in words, and the stored code) and, for ops admins, the review buttons. */
function HoldReason({ conversion: c, canReview, busy, onReview }: { conversion: Conversion; canReview: boolean; busy: boolean; onReview: (decision: 'release' | 'reject') => void }) {
  const { t } = useI18n();
  const rule = holdRule(c.holdReason ?? '');
  return (
    <>
      <Text size="sm" data-testid="hold-reason" data-reason={rule}>
        {isHoldReason(rule) ? t(`holdReason.${rule}`) : c.holdReason}
      </Text>
      <Text size="xs" c="dimmed">
        {c.holdReason}
      </Text>
      {c.status === 'held' && canReview && (
        <Group gap="xs" mt={4}>
          <Button size="compact-xs" color="green" loading={busy} onClick={() => onReview('release')}>
            {t('conversions.release')}
          </Button>
          <Button size="compact-xs" color="red" variant="light" loading={busy} onClick={() => onReview('reject')}>
            {t('conversions.reject')}
          </Button>
        </Group>
      )}
    </>
  );
}
