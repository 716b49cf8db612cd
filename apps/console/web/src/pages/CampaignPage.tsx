import { Alert, Anchor, Badge, Card, CloseButton, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { formatCommission } from '../affiliate';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';
import type { Session } from '../session';
import type { Campaign, CampaignStatus } from '../types';
import { AffiliatesPanel } from './AffiliatesPanel';

const STATUS_COLORS: Record<CampaignStatus, string> = { draft: 'gray', active: 'green', paused: 'yellow', exhausted: 'orange', ended: 'dark' };

/** One campaign (`GET /v1/campaigns/:id`): its terms and, for an affiliate program, its affiliates. */
export function CampaignPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const [message, setMessage] = useState<{ color: 'red' | 'green'; title?: string; text: string } | undefined>();
  const campaign = useQuery({ queryKey: ['campaign', id], queryFn: () => api<Campaign>('campaigns', `/v1/campaigns/${encodeURIComponent(id)}`) });

  const back = (
    <Anchor component={Link} to="/campaigns" size="sm">
      ← {t('campaign.back')}
    </Anchor>
  );
  if (campaign.isPending) return <Loader aria-label={t('common.loading')} />;
  if (campaign.error) {
    return (
      <Stack>
        {back}
        <Alert color="red" role="alert">
          {campaign.error instanceof ApiError && campaign.error.status === 404 ? t('campaign.notFound', { id }) : campaign.error.message}
        </Alert>
      </Stack>
    );
  }
  const c = campaign.data;
  const terms = c.affiliate;

  return (
    <Stack>
      {back}
      <Group justify="space-between">
        <Title order={2}>{c.name}</Title>
        <Badge color={STATUS_COLORS[c.status]} data-testid="campaign-status" data-status={c.status}>
          {t(`status.${c.status}`)}
        </Badge>
      </Group>
      <Group gap="xl">
        <Text size="sm">
          id: <b>{c.id}</b>
        </Text>
        <Text size="sm">
          {t('campaigns.col.advertiser')}: <b>{c.advertiserId}</b>
        </Text>
        <Text size="sm">
          {t('form.pricing')}: <b>{c.pricing.model}</b>
        </Text>
        <Text size="sm">
          {t('campaigns.col.budget')}: <b>{formatMoney(c.budget.total, language)}</b>
        </Text>
        {(c.budget.bankCaps ?? []).length > 0 && (
          <Text size="sm" data-testid="campaign-bank-caps">
            {t('form.bankCaps')}: <b>{(c.budget.bankCaps ?? []).map((cap) => t('budget.cap', { bank: cap.bankId, amount: formatMoney(cap.amount, language) })).join(', ')}</b>
          </Text>
        )}
      </Group>
      {message && (
        <Alert color={message.color} title={message.title} role={message.color === 'red' ? 'alert' : 'status'} data-testid="campaign-message" withCloseButton={false}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{message.text}</Text>
            <CloseButton aria-label="Dismiss" onClick={() => setMessage(undefined)} />
          </Group>
        </Alert>
      )}
      <Card withBorder component="section" aria-labelledby="program-title">
        <Title order={3} size="h4" id="program-title" mb="xs">
          {t('campaign.program')}
        </Title>
        {terms ? (
          <Group gap="xl" data-testid="affiliate-terms">
            <Text size="sm">
              {t('campaign.landingUrl')}: <b>{terms.landingUrl}</b>
            </Text>
            <Text size="sm">
              {t('campaign.clickIdParam')}: <b>{terms.clickIdParam}</b>
            </Text>
            <Text size="sm">
              {t('campaign.commission')}: <b data-testid="program-commission">{formatCommission(terms.commission, language)}</b>
            </Text>
            <Text size="sm">
              {t('campaign.voucherRule')}: <b>{terms.voucherRule}</b>
            </Text>
            <Text size="sm">
              {t('campaign.approval')}: <b>{t(`campaign.approval.${terms.approval}`)}</b>
            </Text>
          </Group>
        ) : (
          <Text size="sm">{t('campaign.noProgram')}</Text>
        )}
      </Card>
      <AffiliatesPanel campaign={c} session={session} onMessage={setMessage} />
    </Stack>
  );
}
