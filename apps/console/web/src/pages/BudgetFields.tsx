import { ActionIcon, Button, Fieldset, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import type { BankCapValues, BudgetValues } from '../advertisers';
import { api } from '../api';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';
import type { AdvertiserBudget, Integration } from '../types';

/**
 * The registry's integrations for the cap rows' bank picker. Under its own key: a form opened a
 * moment ago must not stand in for the Integrations page's list (which it would, for the 5 s the
 * cache counts as fresh). Writes to the registry invalidate `['integrations']`, so this too.
 */
export function useBankIntegrations() {
  return useQuery({ queryKey: ['integrations', { for: 'bank-caps' }], queryFn: () => api<Integration[]>('campaigns', '/v1/integrations') });
}

/**
 * The advertiser budget's inputs, shared by the create form and the budget dialog: a total and
 * one row per bank cap (bank from the registered bank integrations, amount in the billing
 * currency). Their paths (`budget.bankCaps.0.amount`) are the API's, so its 400 lands on them.
 */
export function BudgetFields<V extends { budget: BudgetValues }>({ form, currency, banks }: { form: UseFormReturnType<V>; currency: string; banks: { value: string; label: string }[] }) {
  const { t } = useI18n();
  // A generic form's paths are not literal types here; the budget's are known to exist.
  const f = form as unknown as UseFormReturnType<{ budget: BudgetValues }>;
  return (
    <Fieldset legend={t('budget.legend')}>
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {t('budget.hint')}
        </Text>
        <TextInput label={t('budget.totalLabel', { currency })} inputMode="decimal" {...f.getInputProps('budget.total')} error={f.errors['budget.total'] ?? f.errors.budget} />
        <BankCapRows form={f} currency={currency} banks={banks} />
      </Stack>
    </Fieldset>
  );
}

/**
 * One row per bank cap at `budget.bankCaps` (the same path on an advertiser and a campaign):
 * the bank, from the options given, and the amount in the currency; add and remove rows.
 */
export function BankCapRows<V extends { budget: { bankCaps: BankCapValues[] } }>({ form, currency, banks }: { form: UseFormReturnType<V>; currency: string; banks: { value: string; label: string }[] }) {
  const { t } = useI18n();
  const f = form as unknown as UseFormReturnType<{ budget: { bankCaps: BankCapValues[] } }>;
  const caps = f.values.budget.bankCaps;
  return (
    <Stack gap="sm">
      {caps.map((_, i) => (
        <Group key={i} align="flex-start" wrap="nowrap" data-testid="bank-cap-row">
          <NativeSelect
            flex={1}
            label={t('budget.capBank', { n: i + 1 })}
            data={[{ value: '', label: t('budget.pickBank') }, ...banks]}
            {...f.getInputProps(`budget.bankCaps.${i}.bankId`)}
            error={f.errors[`budget.bankCaps.${i}.bankId`] ?? f.errors[`budget.bankCaps.${i}`]}
          />
          <TextInput flex={1} label={t('budget.capAmount', { n: i + 1, currency })} inputMode="decimal" {...f.getInputProps(`budget.bankCaps.${i}.amount`)} />
          <ActionIcon variant="subtle" color="red" mt={26} aria-label={t('budget.removeCap', { n: i + 1 })} onClick={() => f.removeListItem('budget.bankCaps', i)}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {f.errors['budget.bankCaps'] && (
        <Text size="sm" c="red">
          {f.errors['budget.bankCaps']}
        </Text>
      )}
      {banks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('budget.noBanks')}
        </Text>
      ) : (
        <Group>
          <Button variant="light" size="xs" onClick={() => f.insertListItem('budget.bankCaps', { bankId: '', amount: '' })}>
            {t('budget.addCap')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The stored advertiser budget in one line per limit: "total SEK 50,000.00", "bank-nord: SEK 10,000.00", or "none". */
export function BudgetSummary({ budget }: { budget: AdvertiserBudget | null }) {
  const { t, language } = useI18n();
  if (!budget) {
    return (
      <Text size="sm" c="dimmed" data-testid="budget-summary">
        {t('budget.none')}
      </Text>
    );
  }
  return (
    <Stack gap={0} data-testid="budget-summary">
      <Text size="sm">{budget.total ? t('budget.total', { amount: formatMoney(budget.total, language) }) : t('budget.noTotal')}</Text>
      {(budget.bankCaps ?? []).map((c) => (
        <Text key={c.bankId} size="xs" c="dimmed" data-bank-id={c.bankId}>
          {t('budget.cap', { bank: c.bankId, amount: formatMoney(c.amount, language) })}
        </Text>
      ))}
    </Stack>
  );
}
