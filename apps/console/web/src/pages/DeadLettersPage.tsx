import { ActionIcon, Alert, Badge, Button, Checkbox, Code, Group, List, Loader, Modal, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { api } from '../api';
import { bodyText, defaultTopic, positionLabel, replayItems } from '../dead-letters';
import { useI18n } from '../i18n';
import { isOpsAdmin, type Session } from '../session';
import type { AuditEntry, DeadLetterPage as Page, DeadLetterTopic, ReplayAnswer } from '../types';

const PAGE_SIZE = 50;
const ACTION_COLORS: Record<AuditEntry['action'], string> = { 'dead-letter.replay.requested': 'blue', 'dead-letter.replay.completed': 'green', 'dead-letter.replay.failed': 'red' };

/**
 * Every `*.dlq` topic, its dead letters newest first (why, where, when, the redacted body), and
 * for an ops admin a replay of the selected ones to the topic they came from, after a confirmation.
 * Replays are audited on the console server's `console.audit` topic, shown below.
 */
export function DeadLettersPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const admin = isOpsAdmin(session);
  const queryClient = useQueryClient();
  const topics = useQuery({ queryKey: ['dead-letters', 'topics'], queryFn: () => api<{ topics: DeadLetterTopic[] }>('dead-letters', '/topics') });
  const [chosen, setChosen] = useState<string | undefined>();
  const topic = chosen ?? (topics.data ? defaultTopic(topics.data.topics) : undefined);
  const topicInfo = topics.data?.topics.find((x) => x.topic === topic);
  const [partition, setPartition] = useState(0);
  const [before, setBefore] = useState<string[]>([]);
  const pageEnd = before[before.length - 1];
  const query = new URLSearchParams({ partition: String(partition), limit: String(PAGE_SIZE), ...(pageEnd ? { before: pageEnd } : {}) }).toString();
  const page = useQuery({ queryKey: ['dead-letters', 'messages', topic, query], queryFn: () => api<Page>('dead-letters', `/topics/${encodeURIComponent(topic!)}/messages?${query}`), enabled: Boolean(topic) });
  const audit = useQuery({ queryKey: ['dead-letters', 'audit'], queryFn: () => api<{ entries: AuditEntry[] }>('dead-letters', '/audit?limit=20') });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);

  const pick = (next: string, nextPartition = 0) => {
    setChosen(next);
    setPartition(nextPartition);
    setBefore([]);
    setSelected(new Set());
    setOpen(new Set());
    replay.reset();
  };
  const toggle = (set: ReadonlySet<string>, id: string) => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  };
  const messages = page.data?.messages ?? [];
  const items = replayItems(messages, selected);
  const replay = useMutation({
    mutationFn: () => api<ReplayAnswer>('dead-letters', '/replays', { method: 'POST', body: { items } }),
    onSuccess: async () => {
      setConfirming(false);
      setSelected(new Set());
      await queryClient.invalidateQueries({ queryKey: ['dead-letters'] });
    },
    onError: () => setConfirming(false),
  });
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(language) : '—');

  return (
    <Stack>
      <Title order={2}>{t('dlq.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('dlq.intro')}
      </Text>
      {topics.isPending && <Loader aria-label={t('common.loading')} />}
      {topics.error && (
        <Alert color="red" role="alert">
          {topics.error.message}
        </Alert>
      )}
      {topics.data && topics.data.topics.length === 0 && <Text>{t('dlq.noTopics')}</Text>}
      {topics.data && topics.data.topics.length > 0 && (
        <Group align="flex-end">
          <NativeSelect
            label={t('dlq.topic')}
            value={topic ?? ''}
            onChange={(e) => pick(e.currentTarget.value)}
            data={topics.data.topics.map((x) => ({ value: x.topic, label: t('dlq.topicOption', { topic: x.topic, count: x.count }) }))}
          />
          {topicInfo && topicInfo.partitions.length > 1 && (
            <NativeSelect label={t('dlq.partition')} value={String(partition)} onChange={(e) => pick(topicInfo.topic, Number(e.currentTarget.value))} data={topicInfo.partitions.map((p) => String(p.partition))} />
          )}
          <Button variant="default" onClick={() => void queryClient.invalidateQueries({ queryKey: ['dead-letters'] })}>
            {t('dlq.refresh')}
          </Button>
        </Group>
      )}
      {topicInfo && (
        <Text size="sm" data-testid="dlq-source">
          {t('dlq.source', { topic: topicInfo.sourceTopic })}
        </Text>
      )}

      {replay.data && (
        <Alert color="green" role="status" title={t('dlq.replayed', { count: replay.data.results.length })} data-testid="replay-result" withCloseButton onClose={() => replay.reset()}>
          <List size="sm">
            {replay.data.results.map((r) => (
              <List.Item key={positionLabel(r.deadLetter)}>{t('dlq.replayedTo', { from: positionLabel(r.deadLetter), to: positionLabel(r.to) })}</List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed" mt={4}>
            {t('dlq.replayId', { id: replay.data.replayId, by: replay.data.replayedBy })}
          </Text>
        </Alert>
      )}
      {replay.error && (
        <Alert color="red" role="alert" title={t('dlq.replayRefused')} data-testid="replay-error">
          {replay.error.message}
        </Alert>
      )}

      {page.isPending && topic && <Loader aria-label={t('common.loading')} />}
      {page.error && (
        <Alert color="red" role="alert">
          {page.error.message}
        </Alert>
      )}
      {page.data && messages.length === 0 && <Text>{t('dlq.empty')}</Text>}
      {page.data && messages.length > 0 && (
        <>
          {admin && (
            <Group>
              <Button disabled={items.length === 0} onClick={() => setConfirming(true)}>
                {t('dlq.replay', { count: items.length })}
              </Button>
              <Text size="xs" c="dimmed">
                {t('dlq.replayHint')}
              </Text>
            </Group>
          )}
          <Table.ScrollContainer minWidth={960}>
            <Table striped aria-label={t('dlq.title')} data-testid="dead-letters-table">
              <Table.Thead>
                <Table.Tr>
                  {admin && <Table.Th aria-label={t('dlq.col.select')} />}
                  <Table.Th>{t('dlq.col.time')}</Table.Th>
                  <Table.Th>{t('dlq.col.reason')}</Table.Th>
                  <Table.Th>{t('dlq.col.code')}</Table.Th>
                  <Table.Th>{t('dlq.col.field')}</Table.Th>
                  <Table.Th>{t('dlq.col.origin')}</Table.Th>
                  <Table.Th>{t('dlq.col.service')}</Table.Th>
                  <Table.Th aria-label={t('dlq.col.body')} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {messages.map((m) => {
                  const id = positionLabel(m);
                  const expanded = open.has(id);
                  return (
                    <Fragment key={id}>
                      <Table.Tr data-testid="dead-letter" data-position={id}>
                        {admin && (
                          <Table.Td>
                            <Checkbox aria-label={t('dlq.select', { id })} checked={selected.has(id)} onChange={() => setSelected((s) => toggle(s, id))} />
                          </Table.Td>
                        )}
                        <Table.Td>
                          <Text size="sm">{time(m.failedAt ?? m.timestamp)}</Text>
                          <Text size="xs" c="dimmed">
                            {t('dlq.offset', { offset: m.offset })}
                          </Text>
                        </Table.Td>
                        <Table.Td maw={360}>
                          <Text size="sm" data-testid="dlq-reason">
                            {m.reason ?? '—'}
                          </Text>
                          {m.replay && (
                            <Badge color="grape" variant="light" mt={4} data-testid="dlq-replayed-badge">
                              {t('dlq.isReplay', { of: m.replay.of, by: m.replay.by ?? '?' })}
                            </Badge>
                          )}
                          {m.truncated && (
                            <Badge color="orange" variant="light" mt={4}>
                              {t('dlq.truncated', { size: m.originalSize ?? '?' })}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Code data-testid="dlq-code">{m.code ?? '—'}</Code>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" data-testid="dlq-field">
                            {m.field ?? '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" data-testid="dlq-origin">
                            {m.origin ? positionLabel(m.origin) : '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{m.service ?? '—'}</Text>
                          {m.attempts !== null && m.attempts > 1 && (
                            <Text size="xs" c="dimmed">
                              {t('dlq.attempts', { count: m.attempts })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <ActionIcon variant="subtle" aria-expanded={expanded} aria-label={t(expanded ? 'dlq.hideBody' : 'dlq.showBody', { id })} onClick={() => setOpen((s) => toggle(s, id))}>
                            {expanded ? '−' : '+'}
                          </ActionIcon>
                        </Table.Td>
                      </Table.Tr>
                      {expanded && (
                        <Table.Tr>
                          <Table.Td colSpan={admin ? 8 : 7}>
                            <Stack gap={4}>
                              <Text size="xs" c="dimmed">
                                {t('dlq.bodyMeta', { key: m.key ?? '—', bytes: m.bodyBytes })}
                              </Text>
                              <Code block data-testid="dlq-body" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                                {bodyText(m.body)}
                              </Code>
                              <Text size="xs" c="dimmed">
                                {t('dlq.redacted')}
                              </Text>
                            </Stack>
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group>
            <Button variant="default" size="xs" disabled={before.length === 0} onClick={() => setBefore([])}>
              {t('dlq.newest')}
            </Button>
            <Button variant="default" size="xs" disabled={!page.data.nextBefore} onClick={() => page.data.nextBefore && setBefore((b) => [...b, page.data.nextBefore!])}>
              {t('dlq.older')}
            </Button>
          </Group>
        </>
      )}

      <Title order={3} mt="lg">
        {t('dlq.audit')}
      </Title>
      {audit.error && (
        <Alert color="red" role="alert">
          {audit.error.message}
        </Alert>
      )}
      {audit.data && audit.data.entries.length === 0 && <Text>{t('dlq.auditEmpty')}</Text>}
      {audit.data && audit.data.entries.length > 0 && (
        <Table aria-label={t('dlq.audit')} data-testid="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dlq.col.time')}</Table.Th>
              <Table.Th>{t('dlq.col.action')}</Table.Th>
              <Table.Th>{t('dlq.col.who')}</Table.Th>
              <Table.Th>{t('dlq.col.what')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {audit.data.entries.map((e) => (
              <Table.Tr key={e.id} data-testid="audit-entry" data-replay-id={e.replayId} data-action={e.action}>
                <Table.Td>{time(e.at)}</Table.Td>
                <Table.Td>
                  <Badge color={ACTION_COLORS[e.action] ?? 'gray'} variant="light">
                    {t(`dlq.action.${e.action}`)}
                  </Badge>
                  {e.error && (
                    <Text size="xs" c="red">
                      {e.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{e.actor.subject}</Table.Td>
                <Table.Td>
                  {e.items.map((i) => (
                    <Text size="xs" key={positionLabel(i.deadLetter)}>
                      {t('dlq.replayedTo', { from: positionLabel(i.deadLetter), to: positionLabel(i.to) })}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('dlq.confirmTitle', { count: items.length })}>
        <Stack>
          <Text size="sm">{t('dlq.confirmText', { topic: topicInfo?.sourceTopic ?? '' })}</Text>
          <List size="sm">
            {items.map((i) => (
              <List.Item key={positionLabel(i)}>{positionLabel(i)}</List.Item>
            ))}
          </List>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="orange" loading={replay.isPending} onClick={() => replay.mutate()}>
              {t('dlq.confirm', { count: items.length })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

