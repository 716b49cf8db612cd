import { AppShell, Badge, Button, Group, NavLink, SegmentedControl, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Navigate, NavLink as RouterLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { onUnauthorized } from './api';
import { useI18n, type Language } from './i18n';
import { AdvertiserPage } from './pages/AdvertiserPage';
import { AdvertisersPage } from './pages/AdvertisersPage';
import { CampaignPage } from './pages/CampaignPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { ConversionsPage } from './pages/ConversionsPage';
import { CustomerPage } from './pages/CustomerPage';
import { DashboardPage } from './pages/DashboardPage';
import { DeadLettersPage } from './pages/DeadLettersPage';
import { DeliveriesPage } from './pages/DeliveriesPage';
import { IntegrationPage } from './pages/IntegrationPage';
import { IntegrationsPage } from './pages/IntegrationsPage';
import { LoginPage } from './pages/LoginPage';
import { PerformancePage } from './pages/PerformancePage';
import { PostbackSecretPage } from './pages/PostbackSecretPage';
import { TransactionPage } from './pages/TransactionPage';
import { clearSession, isOps, isOpsAdmin, loadSession, saveSession, type Session } from './session';

export function App() {
  const { t, language, setLanguage } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [expired, setExpired] = useState(false);

  const logOut = useCallback(
    (why?: 'expired') => {
      clearSession();
      queryClient.clear();
      setSession(undefined);
      setExpired(why === 'expired');
      navigate('/login');
    },
    [navigate, queryClient],
  );

  // A 401 from any service, or the token's own expiry: back to the login page.
  useEffect(() => onUnauthorized(() => logOut('expired')), [logOut]);
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => logOut('expired'), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, logOut]);

  const logIn = (token: string) => {
    const next = saveSession(token);
    if (!next) return;
    queryClient.clear();
    setSession(next);
    setExpired(false);
    navigate('/');
  };

  const languageToggle = <SegmentedControl size="xs" aria-label={t('nav.language')} value={language} onChange={(v) => setLanguage(v as Language)} data={[{ label: 'EN', value: 'en' }, { label: 'SV', value: 'sv' }]} />;

  if (!session) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage onLoggedIn={logIn} expired={expired} languageToggle={languageToggle} />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname }} />} />
      </Routes>
    );
  }

  const links = [
    { to: '/', label: t('nav.dashboard'), show: true },
    { to: '/campaigns', label: t('nav.campaigns'), show: true },
    { to: '/advertisers', label: t('nav.advertisers'), show: true },
    { to: '/transactions', label: t('nav.transactions'), show: isOps(session) },
    { to: '/customers', label: t('nav.customer'), show: isOps(session) },
    { to: '/integrations', label: t('nav.integrations'), show: isOps(session) },
    { to: '/dead-letters', label: t('nav.deadLetters'), show: isOps(session) },
    { to: '/deliveries', label: t('nav.deliveries'), show: isOps(session) },
  ];
  // The affiliate network: conversions to review, the performance report, the shop's postback secret.
  const affiliateLinks = [
    { to: '/affiliate/conversions', label: t('nav.conversions'), show: true },
    { to: '/affiliate/performance', label: t('nav.performance'), show: true },
    { to: '/affiliate/postback-secret', label: t('nav.postbackSecret'), show: isOpsAdmin(session) },
  ];

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'xs' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h4">
            {t('app.title')}
          </Title>
          <Group gap="sm">
            <Text size="sm" data-testid="signed-in-as">
              {session.subject}
            </Text>
            {session.roles.map((r) => (
              <Badge key={r} variant="light">
                {t(`role.${r}`)}
              </Badge>
            ))}
            {languageToggle}
            <Button size="xs" variant="default" onClick={() => logOut()}>
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {links
          .filter((l) => l.show)
          .map((l) => (
            <NavLink key={l.to} component={RouterLink} to={l.to} label={l.label} active={l.to === '/' ? location.pathname === '/' : location.pathname.startsWith(l.to)} />
          ))}
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm" id="nav-affiliate">
          {t('nav.affiliate')}
        </Text>
        <div role="group" aria-labelledby="nav-affiliate">
          {affiliateLinks
            .filter((l) => l.show)
            .map((l) => (
              <NavLink key={l.to} component={RouterLink} to={l.to} label={l.label} active={location.pathname.startsWith(l.to)} />
            ))}
        </div>
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route path="/" element={<DashboardPage session={session} />} />
          <Route path="/campaigns" element={<CampaignsPage session={session} />} />
          <Route path="/campaigns/:id" element={<CampaignPage session={session} />} />
          <Route path="/advertisers" element={<AdvertisersPage session={session} />} />
          <Route path="/advertisers/:id" element={<AdvertiserPage session={session} />} />
          <Route path="/affiliate/conversions" element={<ConversionsPage session={session} />} />
          <Route path="/affiliate/performance" element={<PerformancePage session={session} />} />
          {isOpsAdmin(session) && <Route path="/affiliate/postback-secret" element={<PostbackSecretPage />} />}
          {isOps(session) && <Route path="/transactions" element={<TransactionPage />} />}
          {isOps(session) && <Route path="/customers" element={<CustomerPage />} />}
          {isOps(session) && <Route path="/integrations" element={<IntegrationsPage session={session} />} />}
          {isOps(session) && <Route path="/integrations/:id" element={<IntegrationPage session={session} />} />}
          {isOps(session) && <Route path="/dead-letters" element={<DeadLettersPage session={session} />} />}
          {isOps(session) && <Route path="/deliveries" element={<DeliveriesPage session={session} />} />}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
