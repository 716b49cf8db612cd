import { ActionIcon, Alert, Badge, Button, Group, Loader, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { api, ApiError, formErrorsOf, formFieldOf } from '../api';
import { DELIVERY_FIELDS, DELIVERY_STATUSES, deliveryQuery, isDeliveryStatus, replayable, type DeliveryFilter } from '../deliveries';
import { useI18n } from '../i18n';
import { isOpsAdmin, type Session } from '../session';
import type { Delivery, DeliveryDetail } from '../types';

const STATUS_COLORS: Record<string, string> = { pending: 'blue', sending: 'blue', delivered: 'green', failed: 'red', dead: 'red', skipped: 'gray' };

/**
 * Notification's delivery log for ops: a recipient's, a customer's or an event's deliveries
 * (newest first), each one's attempts, and for an ops admin the replay of a failed or dead one.
 */
export function DeliveriesPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const admin = isOpsAdmin(session);
  const queryClient = useQueryClient();
  const form = useForm<DeliveryFilter>({ initialValues: { recipient: '', customerId: '', eventId: '', status: '' } });
  const [query, setQuery] = useState<string | undefined>();
  const list = useQuery({ queryKey: ['deliveries', query], queryFn: () => api<{ items: Delivery[] }>('notification', `/v1/deliveries${query ? `?${query}` : ''}`), enabled: query !== undefined });
  const [open, setOpen] = useState<string | undefined>();
  const detail = useQuery({ queryKey: ['delivery', open], queryFn: () => api<DeliveryDetail>('notification', `/v1/deliveries/${encodeURIComponent(open!)}`), enabled: Boolean(open) });
  const [notice, setNotice] = useState<{ color: string; text: string } | undefined>();
  const replay = useMutation({
    mutationFn: (id: string) => api<Delivery>('notification', `/v1/deliveries/${encodeURIComponent(id)}/replay`, { method: 'POST', body: {} }),
    onSuccess: async (d) => {
      // Its status by now may be pending, sending or even delivered: the dispatcher was nudged.
      setNotice({ color: 'green', text: t('deliveries.replayed', { id: d.id }) });
      await queryClient.invalidateQueries({ queryKey: ['deliveries'] });
      await queryClient.invalidateQueries({ queryKey: ['delivery'] });
    },
    onError: (e) => setNotice({ color: 'red', text: e.message }),
  });
  // A 400 naming the lookup's inputs is shown on them; anything else in an alert.
  const placed = formErrorsOf(list.error, DELIVERY_FIELDS);
  const onInputs = list.error instanceof ApiError && list.error.status === 400 && list.error.fields.length > 0 && list.error.fields.every((f) => formFieldOf(f.field, DELIVERY_FIELDS));
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(language) : '—');
  const status = (s: string) => (isDeliveryStatus(s) ? t(`deliveryStatus.${s}`) : s);

  return (
    <Stack>
      <Title order={2}>{t('deliveries.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('deliveries.intro')}
      </Text>
      <form aria-label={t('deliveries.title')} onSubmit={form.onSubmit((v) => (deliveryQuery(v) === query ? void list.refetch() : setQuery(deliveryQuery(v))))}>
        <Group align="flex-start">
          <TextInput label={t('deliveries.recipient')} {...form.getInputProps('recipient')} error={placed.errors.recipient} />
          <TextInput label={t('deliveries.customerId')} {...form.getInputProps('customerId')} error={placed.errors.customerId} />
          <TextInput label={t('deliveries.eventId')} miw={300} {...form.getInputProps('eventId')} error={placed.errors.eventId} />
          <NativeSelect
            label={t('deliveries.status')}
            {...form.getInputProps('status')}
            error={placed.errors.status}
            data={[{ value: '', label: t('deliveries.allStatuses') }, ...DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`deliveryStatus.${s}`) }))]}
          />
          <Button type="submit" mt={25} loading={list.isFetching}>
            {t('deliveries.submit')}
          </Button>
        </Group>
      </form>
      {notice && (
        <Alert color={notice.color} role="status" withCloseButton onClose={() => setNotice(undefined)} data-testid="delivery-notice">
          {notice.text}
        </Alert>
      )}
      {list.error && !onInputs && (
        <Alert color="red" role="alert">
          {list.error.message}
        </Alert>
      )}
      {list.isPending && query !== undefined && <Loader aria-label={t('common.loading')} />}
      {list.data && list.data.items.length === 0 && <Text>{t('deliveries.empty')}</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={960}>
          <Table striped aria-label={t('deliveries.title')} data-testid="deliveries-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('deliveries.col.created')}</Table.Th>
                <Table.Th>{t('deliveries.col.recipient')}</Table.Th>
                <Table.Th>{t('deliveries.col.message')}</Table.Th>
                <Table.Th>{t('deliveries.col.status')}</Table.Th>
                <Table.Th>{t('deliveries.col.attempts')}</Table.Th>
                <Table.Th>{t('deliveries.col.last')}</Table.Th>
                <Table.Th aria-label={t('deliveries.col.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((d) => (
                <Fragment key={d.id}>
                  <Table.Tr data-delivery-id={d.id} data-status={d.status}>
                    <Table.Td>{time(d.createdAt)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.recipient.id}</Text>
                      <Text size="xs" c="dimmed">
                        {d.recipient.kind} · {d.channel}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.template}</Text>
                      <Text size="xs" c="dimmed">
                        {d.sourceEventType}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[d.status] ?? 'gray'} data-testid="delivery-status">
                        {status(d.status)}
                      </Badge>
                      {d.skipReason && (
                        <Text size="xs" c="dimmed" data-testid="skip-reason">
                          {d.skipReason}
                        </Text>
                      )}
                      {d.nextAttemptAt && (
                        <Text size="xs" c="dimmed">
                          {t('deliveries.next', { time: time(d.nextAttemptAt) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td maw={280}>
                      <Text size="sm">{d.lastStatusCode ?? '—'}</Text>
                      {d.lastError && (
                        <Text size="xs" c="dimmed">
                          {d.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <ActionIcon variant="subtle" aria-expanded={open === d.id} aria-label={t('deliveries.showAttempts', { id: d.id })} onClick={() => setOpen(open === d.id ? undefined : d.id)}>
                          {open === d.id ? '−' : '+'}
                        </ActionIcon>
                        {admin && replayable(d) && (
                          <Button size="compact-xs" color="orange" loading={replay.isPending && replay.variables === d.id} onClick={() => replay.mutate(d.id)}>
                            {t('deliveries.replay')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                  {open === d.id && (
                    <Table.Tr>
                      <Table.Td colSpan={7}>
                        {detail.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
                        {detail.error && <Text c="red">{detail.error.message}</Text>}
                        {detail.data && detail.data.attemptLog.length === 0 && <Text size="sm">{t('deliveries.noAttempts')}</Text>}
                        {detail.data && detail.data.attemptLog.length > 0 && (
                          <Table data-testid="attempt-log">
                            <Table.Tbody>
                              {detail.data.attemptLog.map((a) => (
                                <Table.Tr key={a.attempt}>
                                  <Table.Td>{t('deliveries.attempt', { n: a.attempt })}</Table.Td>
                                  <Table.Td>{time(a.startedAt)}</Table.Td>
                                  <Table.Td>{a.outcome}</Table.Td>
                                  <Table.Td>{a.statusCode ?? '—'}</Table.Td>
                                  <Table.Td>{a.latencyMs === null ? '—' : `${a.latencyMs} ms`}</Table.Td>
                                  <Table.Td>{a.error ?? ''}</Table.Td>
                                </Table.Tr>
                              ))}
                            </Table.Tbody>
                          </Table>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
