import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api';
import { useI18n } from '../i18n';
import { isOpsAdmin, type Session } from '../session';
import type { Integration } from '../types';
import { IntegrationForm } from './IntegrationForm';

/** The integration registry (campaigns service): who may send to Prestanda, and with how many live keys. */
export function IntegrationsPage({ session }: { session: Session }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const canWrite = isOpsAdmin(session);
  const [creating, setCreating] = useState(false);
  const integrations = useQuery({ queryKey: ['integrations'], queryFn: () => api<Integration[]>('campaigns', '/v1/integrations') });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('integrations.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{t('integrations.new')}</Button>}
      </Group>
      <Text size="sm" c="dimmed">
        {t('integrations.intro')}
      </Text>
      {integrations.isPending && <Loader aria-label={t('common.loading')} />}
      {integrations.error && <Alert color="red">{integrations.error.message}</Alert>}
      {integrations.data && integrations.data.length === 0 && <Text>{t('integrations.empty')}</Text>}
      {integrations.data && integrations.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-label={t('integrations.title')} data-testid="integrations-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('integrations.col.integration')}</Table.Th>
                <Table.Th>{t('integrations.col.kind')}</Table.Th>
                <Table.Th>{t('integrations.col.publisher')}</Table.Th>
                <Table.Th>{t('integrations.col.locale')}</Table.Th>
                <Table.Th ta="right">{t('integrations.col.activeKeys')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {integrations.data.map((i) => (
                <Table.Tr key={i.id} data-integration-id={i.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/integrations/${encodeURIComponent(i.id)}`} size="sm" fw={500}>
                      {i.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {i.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`kind.${i.kind}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{i.publisherId ?? <Text span size="sm" c="dimmed">{t('integrations.noPublisher')}</Text>}</Table.Td>
                  <Table.Td>{i.locale}</Table.Td>
                  <Table.Td ta="right" data-testid="active-key-count">
                    {i.keys.filter((k) => k.active).length}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('integrationForm.title')} size="lg">
        {creating && (
          <IntegrationForm
            onDone={(created) => {
              setCreating(false);
              if (!created) return;
              // A new integration has no key yet: its page is where one is issued.
              navigate(`/integrations/${encodeURIComponent(created.id)}`, { state: { message: t('integrations.created', { name: created.name }) } });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
