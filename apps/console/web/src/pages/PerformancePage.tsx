import { Alert, Button, Group, Loader, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatRate, utcDay } from '../affiliate';
import { api, formErrorsOf } from '../api';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';
import { isOps, type Session } from '../session';
import type { Advertiser, AdvertiserReport, Campaign, ReportDay } from '../types';

interface Params {
  advertiserId: string;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** The affiliate network's report for one advertiser's programs, by day, program and publisher. */
export function PerformancePage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const ops = isOps(session);
  const today = new Date();
  const [draft, setDraft] = useState<Params>({ advertiserId: ops ? '' : (session.advertiserId ?? ''), from: utcDay(new Date(today.getTime() - 29 * DAY_MS)), to: utcDay(today) });
  const [params, setParams] = useState<Params | undefined>(() => (ops ? undefined : draft));
  const advertisers = useQuery({ queryKey: ['advertisers'], queryFn: () => api<Advertiser[]>('campaigns', '/v1/advertisers'), enabled: ops });
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => api<Campaign[]>('campaigns', '/v1/campaigns') });
  const report = useQuery({
    queryKey: ['affiliate-report', params],
    enabled: Boolean(params),
    queryFn: () => {
      // An advertiser's token names its own advertiser; ops name the one they picked.
      const q = new URLSearchParams({ ...(ops ? { id: params!.advertiserId } : {}), from: params!.from, to: params!.to });
      return api<AdvertiserReport>('affiliate', `/v1/reports/advertiser?${q}`);
    },
  });
  const errors = report.error ? formErrorsOf(report.error, ['id', 'from', 'to']) : undefined;
  const campaignName = (id: string) => campaigns.data?.find((c) => c.id === id)?.name;
  const money = (amountMinor: number, currency: string | null) => (currency ? formatMoney({ amountMinor, currency }, language) : amountMinor === 0 ? '—' : String(amountMinor));
  const rows = report.data?.days ?? [];
  const currencies = [...new Set(rows.map((r) => r.currency).filter((c): c is string => Boolean(c)))];
  const sum = (pick: (r: ReportDay) => number) => rows.reduce((s, r) => s + pick(r), 0);

  return (
    <Stack>
      <Title order={2}>{t('performance.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('performance.intro')}
      </Text>
      <form
        noValidate
        aria-label={t('performance.title')}
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.advertiserId) setParams({ ...draft });
        }}
      >
        <Group align="flex-start">
          {ops && (
            <NativeSelect
              label={t('performance.advertiser')}
              value={draft.advertiserId}
              onChange={(e) => setDraft({ ...draft, advertiserId: e.currentTarget.value })}
              data={[{ value: '', label: t('performance.pickAdvertiser') }, ...(advertisers.data ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }))]}
              error={errors?.errors.id}
            />
          )}
          <TextInput type="date" label={t('performance.from')} value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} error={errors?.errors.from} />
          <TextInput type="date" label={t('performance.to')} value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} error={errors?.errors.to} />
          <Button type="submit" mt={25} disabled={!draft.advertiserId}>
            {t('performance.show')}
          </Button>
        </Group>
      </form>
      {ops && !params && <Text size="sm">{t('performance.pickAdvertiser')}</Text>}
      {report.isFetching && <Loader aria-label={t('common.loading')} />}
      {report.error && !Object.keys(errors?.errors ?? {}).length && (
        <Alert color="red" role="alert">
          {report.error.message}
        </Alert>
      )}
      {report.data && rows.length === 0 && <Text>{t('performance.empty')}</Text>}
      {report.data && rows.length > 0 && (
        <Table.ScrollContainer minWidth={1100}>
          <Table striped aria-label={t('performance.title')} data-testid="performance-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('performance.col.day')}</Table.Th>
                <Table.Th>{t('performance.col.program')}</Table.Th>
                <Table.Th>{t('performance.col.publisher')}</Table.Th>
                <Table.Th ta="right">{t('performance.col.clicks')}</Table.Th>
                <Table.Th ta="right">{t('performance.col.conversions')}</Table.Th>
                <Table.Th ta="right">{t('performance.col.rate')}</Table.Th>
                <Table.Th ta="right">{t('performance.col.pending')}</Table.Th>
                <Table.Th ta="right">{t('performance.col.confirmed')}</Table.Th>
                <Table.Th ta="right">{t('performance.col.reversed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={`${r.day}|${r.campaignId}|${r.publisherId ?? ''}`} data-day={r.day} data-campaign-id={r.campaignId} data-publisher-id={r.publisherId}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.day}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{campaignName(r.campaignId) ?? r.campaignId}</Text>
                    {campaignName(r.campaignId) && (
                      <Text size="xs" c="dimmed">
                        {r.campaignId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.publisherId ?? '—'}</Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" data-testid="clicks">
                      {r.clicks}
                    </Text>
                    {r.flaggedClicks > 0 && (
                      <Text size="xs" c="dimmed">
                        {t('performance.col.flagged')}: {r.flaggedClicks}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" data-testid="conversions">
                      {r.conversions}
                    </Text>
                    {r.heldConversions > 0 && (
                      <Text size="xs" c="dimmed" data-testid="held">
                        {t('performance.col.held')}: {r.heldConversions}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatRate(r.conversionRate, language)}</Table.Td>
                  <Table.Td ta="right">{money(r.commissionPendingMinor, r.currency)}</Table.Td>
                  <Table.Td ta="right">{money(r.commissionConfirmedMinor, r.currency)}</Table.Td>
                  <Table.Td ta="right">{money(r.commissionReversedMinor, r.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="performance-total">
                <Table.Th colSpan={3}>{t('performance.total')}</Table.Th>
                <Table.Th ta="right">{sum((r) => r.clicks)}</Table.Th>
                <Table.Th ta="right">{sum((r) => r.conversions)}</Table.Th>
                <Table.Th ta="right">{formatRate(sum((r) => r.clicks) > 0 ? Math.round((sum((r) => r.conversions) / sum((r) => r.clicks)) * 10_000) / 10_000 : null, language)}</Table.Th>
                {/* Amounts add up only within one currency. */}
                {currencies.length <= 1 ? (
                  <>
                    <Table.Th ta="right">{money(sum((r) => r.commissionPendingMinor), currencies[0] ?? null)}</Table.Th>
                    <Table.Th ta="right">{money(sum((r) => r.commissionConfirmedMinor), currencies[0] ?? null)}</Table.Th>
                    <Table.Th ta="right">{money(sum((r) => r.commissionReversedMinor), currencies[0] ?? null)}</Table.Th>
                  </>
                ) : (
                  <Table.Th colSpan={3} />
                )}
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
