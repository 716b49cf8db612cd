import { Alert, Anchor, Badge, Button, Card, CloseButton, Code, CopyButton, Group, Loader, Modal, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, ApiError, formErrorsOf } from '../api';
import { useI18n, type Translate } from '../i18n';
import { isOpsAdmin, type Session } from '../session';
import type { ApiKeyView, Integration, IssuedApiKey } from '../types';

type KeyState = 'active' | 'revoked' | 'expired';
const STATE_COLORS: Record<KeyState, string> = { active: 'green', revoked: 'red', expired: 'gray' };

/** The registry says whether a key works (`active`); revoked or past its expiry are the two ways it does not. */
const stateOf = (k: ApiKeyView): KeyState => (k.active ? 'active' : k.revokedAt ? 'revoked' : 'expired');

/** What the new key is kept in: this dialog's props only, never a query, storage or the URL. */
interface Issued {
  integrationId: string;
  apiKey: string;
  hint: string;
  replaced?: ApiKeyView;
}

/**
 * The one time a key is seen in clear. It lives in the page's state while this dialog is open and
 * is dropped when it closes; the registry keeps only its SHA-256 and hint.
 */
function IssuedKeyDialog({ issued, onClose }: { issued: Issued | undefined; onClose(): void }) {
  const { t, language } = useI18n();
  return (
    <Modal opened={Boolean(issued)} onClose={onClose} title={issued ? t('issued.title', { id: issued.integrationId }) : ''} size="lg" closeOnClickOutside={false}>
      {issued && (
        <Stack data-testid="issued-key">
          <Alert color="yellow" role="alert" title={t('issued.label')}>
            {t('issued.warning')}
          </Alert>
          <Group wrap="nowrap" align="center">
            <Code block flex={1} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="issued-api-key" aria-label={t('issued.label')}>
              {issued.apiKey}
            </Code>
            <CopyButton value={issued.apiKey} timeout={2000}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy}>
                  {copied ? t('issued.copied') : t('issued.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          {issued.replaced && <Text size="sm">{t('issued.replaced', { hint: issued.replaced.hint, time: formatTime(issued.replaced.expiresAt, language, t) })}</Text>}
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('issued.done')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function formatTime(iso: string | null, language: string, t: Translate): string {
  return iso ? new Date(iso).toLocaleString(language) : t('integration.never');
}

interface RotateProps {
  onRotate(overlapMinutes: number | string): void;
  onClose(): void;
  pending: boolean;
  error: Error | null;
}

/** Asks how long the replaced key keeps working, then issues its successor. */
function RotateDialog({ keyToRotate, ...props }: RotateProps & { keyToRotate: ApiKeyView | undefined }) {
  const { t } = useI18n();
  return (
    <Modal opened={Boolean(keyToRotate)} onClose={props.onClose} title={keyToRotate ? t('rotate.title', { hint: keyToRotate.hint }) : ''}>
      {keyToRotate && <RotateForm {...props} />}
    </Modal>
  );
}

/** Mounted each time the dialog opens, so the overlap starts at the API's default again. */
function RotateForm({ onRotate, onClose, pending, error }: RotateProps) {
  const { t } = useI18n();
  const [overlap, setOverlap] = useState<number | string>(1440);
  const fieldError = error && formErrorsOf(error, ['overlapMinutes']).errors.overlapMinutes;
  return (
    <form
      noValidate
      aria-label={t('rotate.submit')}
      onSubmit={(e) => {
        e.preventDefault();
        onRotate(overlap);
      }}
    >
      <Stack>
        <Text size="sm">{t('rotate.intro')}</Text>
        <NumberInput label={t('rotate.overlap')} allowDecimal={false} allowNegative={false} value={overlap} onChange={setOverlap} error={fieldError || undefined} />
        {error && !fieldError && (
          <Alert color="red" role="alert" title={t('integration.issueFailed')}>
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {t('rotate.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One integration and its keys: issue, rotate and revoke (ops-admin); ops-viewer reads. */
export function IntegrationPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const location = useLocation();
  const queryClient = useQueryClient();
  const canWrite = isOpsAdmin(session);
  const [message, setMessage] = useState<{ color: 'red' | 'green'; title?: string; text: string } | undefined>(() => {
    const text = (location.state as { message?: unknown } | null)?.message;
    return typeof text === 'string' ? { color: 'green', text } : undefined;
  });
  const [issued, setIssued] = useState<Issued | undefined>();
  const [rotating, setRotating] = useState<ApiKeyView | undefined>();
  const [revoking, setRevoking] = useState<ApiKeyView | undefined>();
  const integration = useQuery({ queryKey: ['integrations', id], queryFn: () => api<Integration>('campaigns', `/v1/integrations/${encodeURIComponent(id)}`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['integrations'] });

  const issue = useMutation({
    mutationFn: (body: { replacesKeyId?: string; overlapMinutes?: number }) => api<IssuedApiKey>('campaigns', `/v1/integrations/${encodeURIComponent(id)}/keys`, { method: 'POST', body }),
    // The answer holds the key in clear: it goes to the dialog's state only, and the mutation is
    // reset so TanStack's mutation cache does not keep it either.
    gcTime: 0,
    onSuccess: async (key) => {
      setIssued({ integrationId: id, apiKey: key.apiKey, hint: key.hint, replaced: key.replaced });
      setRotating(undefined);
      setMessage(undefined);
      issue.reset();
      await refresh();
    },
    onError: (e, body) => {
      if (!body.replacesKeyId) setMessage({ color: 'red', title: t('integration.issueFailed'), text: e.message });
    },
  });

  const revoke = useMutation({
    mutationFn: (key: ApiKeyView) => api<void>('campaigns', `/v1/integrations/${encodeURIComponent(id)}/keys/${encodeURIComponent(key.keyId)}`, { method: 'DELETE' }),
    onSuccess: async (_, key) => {
      setRevoking(undefined);
      setMessage({ color: 'green', text: t('integration.revoked', { hint: key.hint }) });
      await refresh();
    },
    onError: (e) => {
      setRevoking(undefined);
      setMessage({ color: 'red', title: t('integration.revokeFailed'), text: e.message });
    },
  });

  if (integration.isPending) return <Loader aria-label={t('common.loading')} />;
  if (integration.error) {
    return (
      <Stack>
        <Anchor component={Link} to="/integrations" size="sm">
          ← {t('integration.back')}
        </Anchor>
        <Alert color="red" role="alert">
          {integration.error instanceof ApiError && integration.error.status === 404 ? t('integration.notFound', { id }) : integration.error.message}
        </Alert>
      </Stack>
    );
  }
  const i = integration.data;

  return (
    <Stack>
      <Anchor component={Link} to="/integrations" size="sm">
        ← {t('integration.back')}
      </Anchor>
      <Group justify="space-between">
        <Title order={2}>{i.name}</Title>
        {canWrite && (
          <Button onClick={() => issue.mutate({})} loading={issue.isPending && !issue.variables?.replacesKeyId}>
            {t('integration.issueKey')}
          </Button>
        )}
      </Group>
      <Group gap="xl">
        <Text size="sm">
          id: <b data-testid="integration-id">{i.id}</b>
        </Text>
        <Text size="sm">
          {t('integrations.col.kind')}: <b>{t(`kind.${i.kind}`)}</b>
        </Text>
        <Text size="sm">
          {t('integrations.col.publisher')}: <b>{i.publisherId ?? t('integrations.noPublisher')}</b>
        </Text>
        <Text size="sm">
          {t('integrations.col.locale')}: <b>{i.locale}</b>
        </Text>
        <Text size="sm" c="dimmed">
          {t('integration.since', { time: new Date(i.createdAt).toLocaleString(language) })}
        </Text>
      </Group>
      {message && (
        <Alert color={message.color} title={message.title} role={message.color === 'red' ? 'alert' : 'status'} data-testid="integration-message" withCloseButton={false}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{message.text}</Text>
            <CloseButton aria-label="Dismiss" onClick={() => setMessage(undefined)} />
          </Group>
        </Alert>
      )}
      <Card withBorder component="section" aria-labelledby="keys-title">
        <Title order={3} size="h4" id="keys-title" mb="xs">
          {t('integration.keys')}
        </Title>
        {i.keys.length === 0 ? (
          <Text size="sm">{t('integration.noKeys')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-labelledby="keys-title" data-testid="keys-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('integration.col.hint')}</Table.Th>
                  <Table.Th>{t('integration.col.created')}</Table.Th>
                  <Table.Th>{t('integration.col.expires')}</Table.Th>
                  <Table.Th>{t('integration.col.revoked')}</Table.Th>
                  <Table.Th>{t('integration.col.state')}</Table.Th>
                  {canWrite && <Table.Th>{t('integration.col.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {i.keys.map((k) => {
                  const state = stateOf(k);
                  return (
                    <Table.Tr key={k.keyId} data-key-id={k.keyId} data-key-hint={k.hint}>
                      <Table.Td>
                        <Code>{k.hint}</Code>
                      </Table.Td>
                      <Table.Td>{formatTime(k.createdAt, language, t)}</Table.Td>
                      <Table.Td>{formatTime(k.expiresAt, language, t)}</Table.Td>
                      <Table.Td>{k.revokedAt ? formatTime(k.revokedAt, language, t) : '—'}</Table.Td>
                      <Table.Td>
                        <Badge color={STATE_COLORS[state]} data-testid="key-state" data-state={state}>
                          {t(`keyState.${state}`)}
                        </Badge>
                      </Table.Td>
                      {canWrite && (
                        <Table.Td>
                          {/* A revoked or expired key is over: nothing left to rotate or revoke. */}
                          {state === 'active' && (
                            <Group gap="xs" wrap="nowrap">
                              <Button size="xs" variant="default" aria-label={`${t('integration.rotate')}: ${k.hint}`} onClick={() => {
                                  issue.reset();
                                  setRotating(k);
                                }}>
                                {t('integration.rotate')}
                              </Button>
                              <Button size="xs" variant="light" color="red" aria-label={`${t('integration.revoke')}: ${k.hint}`} onClick={() => setRevoking(k)}>
                                {t('integration.revoke')}
                              </Button>
                            </Group>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {canWrite && (
        <>
          <RotateDialog
            keyToRotate={rotating}
            pending={issue.isPending}
            error={issue.variables?.replacesKeyId ? issue.error : null}
            onClose={() => setRotating(undefined)}
            onRotate={(overlapMinutes) => rotating && issue.mutate({ replacesKeyId: rotating.keyId, overlapMinutes: Number(overlapMinutes) })}
          />
          <Modal opened={Boolean(revoking)} onClose={() => setRevoking(undefined)} title={revoking ? t('revoke.title', { hint: revoking.hint }) : ''}>
            <Stack>
              <Text size="sm">{t('revoke.intro')}</Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setRevoking(undefined)}>
                  {t('common.cancel')}
                </Button>
                <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>
                  {t('revoke.confirm')}
                </Button>
              </Group>
            </Stack>
          </Modal>
          <IssuedKeyDialog issued={issued} onClose={() => setIssued(undefined)} />
        </>
      )}
    </Stack>
  );
}
