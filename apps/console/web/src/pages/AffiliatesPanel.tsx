import { Alert, Badge, Button, Card, Code, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatCommission, percentToBasisPoints, trackingPath } from '../affiliate';
import { api, formErrorsOf } from '../api';
import { useI18n } from '../i18n';
import { isOpsAdmin, type Session } from '../session';
import type { ApplicationStatus, Campaign, CampaignApplication, Commission } from '../types';

const APPLICATION_COLORS: Record<ApplicationStatus, string> = { pending: 'yellow', approved: 'green', declined: 'red' };

type Decision = { kind: 'approve'; publisherId: string } | { kind: 'decline'; publisherId: string };
type DecisionBody = { commission?: Commission } | { reason?: string };
type Message = { color: 'red' | 'green'; title?: string; text: string };

/** Approve (with an optional own commission in percent) or decline one application. */
function DecisionForm({ decision, campaign, onDone, onClose }: { decision: Decision; campaign: Campaign; onDone(message: Message): void; onClose(): void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [percent, setPercent] = useState('');
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | undefined>();
  const decide = useMutation({
    mutationFn: (body: DecisionBody) =>
      api<CampaignApplication>('campaigns', `/v1/campaigns/${encodeURIComponent(campaign.id)}/applications/${encodeURIComponent(decision.publisherId)}/${decision.kind}`, { method: 'POST', body }),
    onSuccess: async (application) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['campaign', campaign.id] }), queryClient.invalidateQueries({ queryKey: ['applications', campaign.id] })]);
      onDone({ color: 'green', text: t(application.status === 'approved' ? 'affiliates.approved.message' : 'affiliates.declined.message', { id: application.publisherId }) });
    },
  });
  // A 400 names commission.basisPoints (or reason): its message lands on the input.
  const placed = decide.error ? formErrorsOf(decide.error, ['commission', 'reason']) : undefined;
  const programRate = campaign.affiliate ? formatCommission(campaign.affiliate.commission, language) : '—';

  return (
    <form
      noValidate
      aria-label={decision.kind === 'approve' ? t('affiliates.approve') : t('affiliates.decline')}
      onSubmit={(e) => {
        e.preventDefault();
        if (decision.kind === 'decline') {
          decide.mutate(reason.trim() ? { reason: reason.trim() } : {});
          return;
        }
        if (!percent.trim()) {
          decide.mutate({});
          return;
        }
        const basisPoints = percentToBasisPoints(percent);
        if (basisPoints === undefined) {
          setLocalError(t('affiliates.percentInvalid'));
          return;
        }
        setLocalError(undefined);
        decide.mutate({ commission: { kind: 'percent', basisPoints } });
      }}
    >
      <Stack>
        {decision.kind === 'approve' ? (
          <TextInput
            label={t('affiliates.override')}
            description={t('affiliates.overrideHint', { rate: programRate })}
            inputMode="decimal"
            value={percent}
            onChange={(e) => setPercent(e.currentTarget.value)}
            rightSection="%"
            error={localError ?? placed?.errors.commission}
          />
        ) : (
          <TextInput label={t('affiliates.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={placed?.errors.reason} />
        )}
        {decide.error && !placed?.errors.commission && !placed?.errors.reason && (
          <Alert color="red" role="alert" title={t('affiliates.refused')} data-testid="decision-error">
            {decide.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color={decision.kind === 'decline' ? 'red' : undefined} loading={decide.isPending}>
            {decision.kind === 'approve' ? t('affiliates.approve') : t('affiliates.decline')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A campaign's affiliates: their applications (approve / decline, ops-admin) and the approved ones with their links. */
export function AffiliatesPanel({ campaign, session, onMessage }: { campaign: Campaign; session: Session; onMessage(message: Message | undefined): void }) {
  const { t, language } = useI18n();
  const canWrite = isOpsAdmin(session);
  const [deciding, setDeciding] = useState<Decision | undefined>();
  const applications = useQuery({ queryKey: ['applications', campaign.id], queryFn: () => api<CampaignApplication[]>('campaigns', `/v1/campaigns/${encodeURIComponent(campaign.id)}/applications`) });
  // Only affiliates get a tracking code; banks and the rewards app are publishers without links.
  const approved = (campaign.publishers ?? []).filter((p) => p.trackingCode);
  const programRate = campaign.affiliate ? formatCommission(campaign.affiliate.commission, language) : undefined;

  return (
    <Card withBorder component="section" aria-labelledby="affiliates-title" data-testid="affiliates-panel">
      <Title order={3} size="h4" id="affiliates-title" mb="xs">
        {t('affiliates.title')}
      </Title>
      <Stack>
        <Title order={4} size="h5" id="applications-title">
          {t('affiliates.applications')}
        </Title>
        {applications.error && (
          <Alert color="red" role="alert">
            {applications.error.message}
          </Alert>
        )}
        {applications.data && applications.data.length === 0 && <Text size="sm">{t('affiliates.noApplications')}</Text>}
        {applications.data && applications.data.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-labelledby="applications-title" data-testid="applications-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('affiliates.col.publisher')}</Table.Th>
                  <Table.Th>{t('affiliates.col.message')}</Table.Th>
                  <Table.Th>{t('affiliates.col.applied')}</Table.Th>
                  <Table.Th>{t('affiliates.col.status')}</Table.Th>
                  <Table.Th>{t('affiliates.col.decision')}</Table.Th>
                  {canWrite && <Table.Th>{t('affiliates.col.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {applications.data.map((a) => (
                  <Table.Tr key={a.publisherId} data-publisher-id={a.publisherId}>
                    <Table.Td>{a.publisherId}</Table.Td>
                    <Table.Td>{a.message ?? '—'}</Table.Td>
                    <Table.Td>{new Date(a.createdAt).toLocaleString(language)}</Table.Td>
                    <Table.Td>
                      <Badge styles={{ label: { overflow: 'visible' } }} color={APPLICATION_COLORS[a.status] ?? 'gray'} data-testid="application-status" data-status={a.status}>
                        {t(`applicationStatus.${a.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {a.decidedAt ? (
                        <Text size="xs">
                          {a.decidedBy} · {new Date(a.decidedAt).toLocaleString(language)}
                          {a.decisionReason ? ` · ${a.decisionReason}` : ''}
                        </Text>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        {a.status === 'pending' && (
                          <Group gap="xs" wrap="nowrap">
                            <Button size="xs" aria-label={`${t('affiliates.approve')}: ${a.publisherId}`} onClick={() => setDeciding({ kind: 'approve', publisherId: a.publisherId })}>
                              {t('affiliates.approve')}
                            </Button>
                            <Button size="xs" variant="light" color="red" aria-label={`${t('affiliates.decline')}: ${a.publisherId}`} onClick={() => setDeciding({ kind: 'decline', publisherId: a.publisherId })}>
                              {t('affiliates.decline')}
                            </Button>
                          </Group>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Title order={4} size="h5" id="approved-title">
          {t('affiliates.approved')}
        </Title>
        {approved.length === 0 ? (
          <Text size="sm">{t('affiliates.noneApproved')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-labelledby="approved-title" data-testid="approved-affiliates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('affiliates.col.publisher')}</Table.Th>
                  <Table.Th title={t('affiliates.linkHint')}>{t('affiliates.col.link')}</Table.Th>
                  <Table.Th>{t('affiliates.col.commission')}</Table.Th>
                  <Table.Th>{t('affiliates.col.codes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {approved.map((p) => (
                  <Table.Tr key={p.publisherId} data-publisher-id={p.publisherId}>
                    <Table.Td>{p.publisherId}</Table.Td>
                    <Table.Td>
                      <Code data-testid="tracking-link">{trackingPath(p.trackingCode!)}</Code>
                    </Table.Td>
                    <Table.Td data-testid="affiliate-commission">{p.commission ? formatCommission(p.commission, language) : programRate ? t('affiliates.programRate', { rate: programRate }) : '—'}</Table.Td>
                    <Table.Td>{p.voucherCodes?.length ? p.voucherCodes.join(', ') : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Text size="xs" c="dimmed">
          {t('affiliates.linkHint')}
        </Text>
      </Stack>
      {canWrite && (
        <Modal opened={Boolean(deciding)} onClose={() => setDeciding(undefined)} title={deciding ? t(deciding.kind === 'approve' ? 'affiliates.approveTitle' : 'affiliates.declineTitle', { id: deciding.publisherId }) : ''}>
          {deciding && (
            <DecisionForm
              key={`${deciding.kind}:${deciding.publisherId}`}
              decision={deciding}
              campaign={campaign}
              onClose={() => setDeciding(undefined)}
              onDone={(m) => {
                setDeciding(undefined);
                onMessage(m);
              }}
            />
          )}
        </Modal>
      )}
    </Card>
  );
}
