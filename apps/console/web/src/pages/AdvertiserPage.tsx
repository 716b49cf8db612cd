import { Alert, Anchor, Badge, Button, Card, CloseButton, Code, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { bankOptions, budgetBodyOf, budgetFormFields, budgetValuesOf, type BudgetValues } from '../advertisers';
import { api, ApiError, formErrorsOf } from '../api';
import { useI18n } from '../i18n';
import { formatMoney, minorDigits } from '../money';
import { isOpsAdmin, type Session } from '../session';
import type { Advertiser, AdvertiserBudget, Merchant } from '../types';
import { BudgetFields, useBankIntegrations } from './BudgetFields';
import { MerchantForm } from './MerchantForm';

type Message = { color: 'red' | 'green'; title?: string; text: string };

/** `PATCH /v1/advertisers/:id`: a new name, or a new budget (`null` removes it). */
const patchAdvertiser = (id: string, body: { name?: string; budget?: AdvertiserBudget | null }) => api<Advertiser>('campaigns', `/v1/advertisers/${encodeURIComponent(id)}`, { method: 'PATCH', body });

/** Renames the advertiser; the API's 400 on `name` lands on the input. */
function RenameForm({ advertiser, onMessage }: { advertiser: Advertiser; onMessage(m: Message | undefined): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { name: advertiser.name } });
  const rename = useMutation({
    mutationFn: (name: string) => patchAdvertiser(advertiser.id, { name }),
    onSuccess: async (updated) => {
      onMessage({ color: 'green', text: t('advertiser.renamed', { name: updated.name }) });
      await queryClient.invalidateQueries({ queryKey: ['advertisers'] });
    },
    onError: (e) => {
      const { errors } = formErrorsOf(e, ['name']);
      form.setErrors(errors);
      if (!errors.name) onMessage({ color: 'red', title: t('advertiser.saveFailed'), text: e.message });
    },
  });
  return (
    <form noValidate aria-label={t('advertiser.rename')} onSubmit={form.onSubmit((v) => rename.mutate(v.name))}>
      <Group align="flex-end">
        <TextInput label={t('advertiser.name')} {...form.getInputProps('name')} miw={320} />
        <Button type="submit" variant="default" loading={rename.isPending}>
          {t('advertiser.rename')}
        </Button>
      </Group>
    </form>
  );
}

/** Replaces the advertiser's budget and per-bank caps; each 400 `fields[]` entry lands on its cap row. */
function BudgetForm({ advertiser, onDone }: { advertiser: Advertiser; onDone(saved: boolean): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const currency = advertiser.billingCurrency;
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const integrations = useBankIntegrations();
  const form = useForm<{ budget: BudgetValues }>({ initialValues: { budget: budgetValuesOf(advertiser.budget) } });
  const save = useMutation({
    mutationFn: (budget: AdvertiserBudget | null) => patchAdvertiser(advertiser.id, { budget }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['advertisers'] });
      onDone(true);
    },
    onError: (e) => {
      const { errors, unplaced: rest } = formErrorsOf(e, budgetFormFields(form.values.budget.bankCaps.length));
      form.setErrors(errors);
      setUnplaced(rest);
    },
  });
  const submit = (v: { budget: BudgetValues }) => {
    setUnplaced([]);
    save.reset();
    const { budget, problems } = budgetBodyOf(v.budget, currency);
    if (Object.keys(problems).length) {
      const message = t('form.amountInvalid', { currency, digits: minorDigits(currency) });
      return form.setErrors(Object.fromEntries(Object.keys(problems).map((path) => [path, message])));
    }
    save.mutate(budget);
  };
  const failure = save.error instanceof ApiError && save.error.fields.length ? unplaced.join('; ') : save.error?.message;
  return (
    <form noValidate aria-label={t('advertiser.saveBudget')} onSubmit={form.onSubmit(submit)}>
      <Stack>
        <BudgetFields form={form} currency={currency} banks={bankOptions(integrations.data ?? [], form.values.budget.bankCaps)} />
        {integrations.error && <Alert color="yellow">{integrations.error.message}</Alert>}
        {save.error && failure && (
          <Alert color="red" role="alert" title={t('advertiser.saveFailed')} data-testid="budget-form-error">
            {failure}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('advertiser.saveBudget')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The stored budget as a table: the total, then one row per bank cap. */
function BudgetTable({ budget }: { budget: AdvertiserBudget }) {
  const { t, language } = useI18n();
  return (
    <Table maw={560} data-testid="budget-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('advertiser.col.bank')}</Table.Th>
          <Table.Th ta="right">{t('advertiser.col.cap')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Table.Tr data-testid="budget-total">
          <Table.Td>{t('advertiser.totalRow')}</Table.Td>
          <Table.Td ta="right">{budget.total ? formatMoney(budget.total, language) : t('budget.noTotal')}</Table.Td>
        </Table.Tr>
        {(budget.bankCaps ?? []).map((c) => (
          <Table.Tr key={c.bankId} data-bank-id={c.bankId}>
            <Table.Td>{c.bankId}</Table.Td>
            <Table.Td ta="right">{formatMoney(c.amount, language)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const listText = (items: string[]) => (items.length ? items.join(', ') : '—');

/** One advertiser: its name, its budget across banks and its merchants; ops-admin edits, everyone else reads. */
export function AdvertiserPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const location = useLocation();
  const queryClient = useQueryClient();
  const canWrite = isOpsAdmin(session);
  const [message, setMessage] = useState<Message | undefined>(() => {
    const text = (location.state as { message?: unknown } | null)?.message;
    return typeof text === 'string' ? { color: 'green', text } : undefined;
  });
  const [editingBudget, setEditingBudget] = useState(false);
  const [removingBudget, setRemovingBudget] = useState(false);
  // undefined: closed; null: adding; a merchant: editing it.
  const [merchantForm, setMerchantForm] = useState<Merchant | null | undefined>();
  const [removingMerchant, setRemovingMerchant] = useState<Merchant | undefined>();
  const advertiser = useQuery({ queryKey: ['advertisers', id], queryFn: () => api<Advertiser>('campaigns', `/v1/advertisers/${encodeURIComponent(id)}`) });

  const removeBudget = useMutation({
    mutationFn: () => patchAdvertiser(id, { budget: null }),
    onSuccess: async () => {
      setRemovingBudget(false);
      setMessage({ color: 'green', text: t('advertiser.budgetRemoved') });
      await queryClient.invalidateQueries({ queryKey: ['advertisers'] });
    },
    onError: (e) => {
      setRemovingBudget(false);
      setMessage({ color: 'red', title: t('advertiser.saveFailed'), text: e.message });
    },
  });

  const removeMerchant = useMutation({
    mutationFn: (m: Merchant) => api<void>('campaigns', `/v1/advertisers/${encodeURIComponent(id)}/merchants/${encodeURIComponent(m.id)}`, { method: 'DELETE' }),
    onSuccess: async (_, m) => {
      setRemovingMerchant(undefined);
      setMessage({ color: 'green', text: t('merchants.removed', { name: m.name }) });
      await queryClient.invalidateQueries({ queryKey: ['advertisers'] });
    },
    onError: (e) => {
      setRemovingMerchant(undefined);
      setMessage({ color: 'red', title: t('advertiser.saveFailed'), text: e.message });
    },
  });

  if (advertiser.isPending) return <Loader aria-label={t('common.loading')} />;
  if (advertiser.error) {
    return (
      <Stack>
        <Anchor component={Link} to="/advertisers" size="sm">
          ← {t('advertiser.back')}
        </Anchor>
        <Alert color="red" role="alert">
          {advertiser.error instanceof ApiError && advertiser.error.status === 404 ? t('advertiser.notFound', { id }) : advertiser.error.message}
        </Alert>
      </Stack>
    );
  }
  const a = advertiser.data;

  return (
    <Stack>
      <Anchor component={Link} to="/advertisers" size="sm">
        ← {t('advertiser.back')}
      </Anchor>
      <Title order={2}>{a.name}</Title>
      <Group gap="xl">
        <Text size="sm">
          id: <b data-testid="advertiser-id">{a.id}</b>
        </Text>
        <Text size="sm">
          {t('advertisers.col.currency')}: <b>{a.billingCurrency}</b>
        </Text>
        <Text size="sm" c="dimmed">
          {t('advertiser.since', { time: new Date(a.createdAt).toLocaleString(language) })}
        </Text>
      </Group>
      {message && (
        <Alert color={message.color} title={message.title} role={message.color === 'red' ? 'alert' : 'status'} data-testid="advertiser-message" withCloseButton={false}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{message.text}</Text>
            <CloseButton aria-label="Dismiss" onClick={() => setMessage(undefined)} />
          </Group>
        </Alert>
      )}
      {/* Keyed by the stored name, so the input starts again from it after a save elsewhere. */}
      {canWrite && <RenameForm key={a.name} advertiser={a} onMessage={setMessage} />}

      <Card withBorder component="section" aria-labelledby="budget-title">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4" id="budget-title">
            {t('advertiser.budget')}
          </Title>
          {canWrite && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setEditingBudget(true)}>
                {t('advertiser.editBudget')}
              </Button>
              {a.budget && (
                <Button size="xs" variant="light" color="red" onClick={() => setRemovingBudget(true)}>
                  {t('advertiser.removeBudget')}
                </Button>
              )}
            </Group>
          )}
        </Group>
        {a.budget ? <BudgetTable budget={a.budget} /> : <Text size="sm" data-testid="no-budget">{t('advertiser.noBudget')}</Text>}
      </Card>

      <Card withBorder component="section" aria-labelledby="merchants-title">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4" id="merchants-title">
            {t('merchants.title')}
          </Title>
          {canWrite && (
            <Button size="xs" onClick={() => setMerchantForm(null)}>
              {t('merchants.add')}
            </Button>
          )}
        </Group>
        {a.merchants.length === 0 ? (
          <Text size="sm">{t('merchants.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table aria-labelledby="merchants-title" data-testid="merchants-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('merchants.col.merchant')}</Table.Th>
                  <Table.Th>{t('merchants.col.mids')}</Table.Th>
                  <Table.Th>{t('merchants.col.descriptors')}</Table.Th>
                  <Table.Th>{t('merchants.col.mccs')}</Table.Th>
                  <Table.Th>{t('merchants.col.country')}</Table.Th>
                  <Table.Th>{t('merchants.col.channels')}</Table.Th>
                  {canWrite && <Table.Th>{t('merchants.col.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.merchants.map((m) => (
                  <Table.Tr key={m.id} data-merchant-id={m.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {m.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {m.id}
                      </Text>
                    </Table.Td>
                    <Table.Td data-testid="merchant-mids">{listText(m.mids)}</Table.Td>
                    <Table.Td>
                      {m.descriptorPatterns.length ? (
                        <Stack gap={2}>
                          {m.descriptorPatterns.map((p) => (
                            <Code key={p}>{p}</Code>
                          ))}
                        </Stack>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>{listText(m.mccs)}</Table.Td>
                    <Table.Td>{m.country}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {m.channels.map((c) => (
                          <Badge key={c} variant="light">
                            {t(`channel.${c}`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Button size="xs" variant="default" aria-label={`${t('merchants.edit')}: ${m.name}`} onClick={() => setMerchantForm(m)}>
                            {t('merchants.edit')}
                          </Button>
                          <Button size="xs" variant="light" color="red" aria-label={`${t('merchants.remove')}: ${m.name}`} onClick={() => setRemovingMerchant(m)}>
                            {t('merchants.remove')}
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      {canWrite && (
        <>
          <Modal opened={editingBudget} onClose={() => setEditingBudget(false)} title={t('advertiser.budgetTitle', { name: a.name })} size="lg">
            {editingBudget && (
              <BudgetForm
                advertiser={a}
                onDone={(saved) => {
                  setEditingBudget(false);
                  if (saved) setMessage({ color: 'green', text: t('advertiser.budgetSaved') });
                }}
              />
            )}
          </Modal>
          <Modal opened={removingBudget} onClose={() => setRemovingBudget(false)} title={t('advertiser.removeBudget')}>
            <Stack>
              <Text size="sm">{t('advertiser.removeBudgetIntro')}</Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setRemovingBudget(false)}>
                  {t('common.cancel')}
                </Button>
                <Button color="red" loading={removeBudget.isPending} onClick={() => removeBudget.mutate()}>
                  {t('advertiser.removeBudget')}
                </Button>
              </Group>
            </Stack>
          </Modal>
          <Modal opened={merchantForm !== undefined} onClose={() => setMerchantForm(undefined)} title={merchantForm ? t('merchantForm.editTitle', { name: merchantForm.name }) : t('merchantForm.addTitle')} size="lg">
            {merchantForm !== undefined && (
              <MerchantForm
                key={merchantForm?.id ?? 'new'}
                advertiserId={a.id}
                merchant={merchantForm ?? undefined}
                onDone={(saved) => {
                  const editing = merchantForm;
                  setMerchantForm(undefined);
                  if (saved) setMessage({ color: 'green', text: t(editing ? 'merchants.saved' : 'merchants.added', { name: saved.name }) });
                }}
              />
            )}
          </Modal>
          <Modal opened={Boolean(removingMerchant)} onClose={() => setRemovingMerchant(undefined)} title={removingMerchant ? t('merchants.removeTitle', { name: removingMerchant.name }) : ''}>
            <Stack>
              <Text size="sm">{t('merchants.removeIntro')}</Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setRemovingMerchant(undefined)}>
                  {t('common.cancel')}
                </Button>
                <Button color="red" loading={removeMerchant.isPending} onClick={() => removingMerchant && removeMerchant.mutate(removingMerchant)}>
                  {t('merchants.remove')}
                </Button>
              </Group>
            </Stack>
          </Modal>
        </>
      )}
    </Stack>
  );
}
