import { Button, Layout, Menu, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Provider } from 'urql';
import { createApiClient, LOGIN_EXPIRED_EVENT } from './api';
import { translate, type Language, type MessageKey } from './i18n';
import type { PageProps, Session } from './session';
import { AlertsMenuLabel } from './AlertBadges';

const Login = lazy(() => import('./pages/Login'));

// Each page is its own chunk: a phone on the shop floor loads the scan app, not the charts.
const PAGES = {
  board: { label: 'navBoard', component: lazy(() => import('./pages/Board')) },
  factory: { label: 'navFactory', component: lazy(() => import('./pages/FactoryConsole')) },
  'shop-floor': { label: 'navShopFloor', component: lazy(() => import('./pages/ShopFloor')) },
  labels: { label: 'printLabels', component: lazy(() => import('./pages/Labels')) },
  capacity: { label: 'navCapacity', component: lazy(() => import('./pages/Capacity')) },
  matcher: { label: 'navMatcher', component: lazy(() => import('./pages/Matcher')) },
  orders: { label: 'navOrders', component: lazy(() => import('./pages/Orders')) },
  quotas: { label: 'navCustomer', component: lazy(() => import('./pages/Customer')) },
  supplier: { label: 'navSupplier', component: lazy(() => import('./pages/Supplier')) },
  alerts: { label: 'navAlerts', component: lazy(() => import('./pages/Alerts')) },
  analytics: { label: 'navAnalytics', component: lazy(() => import('./pages/Analytics')) },
  audit: { label: 'navAudit', component: lazy(() => import('./pages/Audit')) },
  members: { label: 'navMembers', component: lazy(() => import('./pages/Members')) },
} as const satisfies Record<string, { label: MessageKey; component: unknown }>;
type PageName = keyof typeof PAGES;

/** The pages of each role, its main one first. */
const ROLE_PAGES: Record<string, PageName[]> = {
  operator: ['board', 'capacity', 'matcher', 'alerts', 'analytics', 'audit', 'members'],
  factory: ['factory', 'shop-floor', 'labels', 'board', 'capacity', 'alerts', 'analytics', 'members'],
  customer: ['board', 'orders', 'quotas', 'matcher', 'alerts', 'analytics', 'members'],
  auditor: ['audit', 'board', 'analytics', 'alerts', 'members'],
  supplier: ['supplier', 'members'],
};

/** Old bookmarks (`/#/shop-floor`) open the page they named. */
const pageOfOldHash = (): string | undefined => {
  const asked = window.location.hash.replace(/^#\/?/, '');
  return asked === '' ? undefined : asked;
};

function Pages({ t, session }: PageProps) {
  const pages = ROLE_PAGES[session.role] ?? ['board'];
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const asked = pathname.replace(/^\//, '').split('/')[0] as PageName;
  const page: PageName = pages.includes(asked) ? asked : (pages[0] ?? 'board');
  useEffect(() => {
    // A page this role does not have (or none) becomes its main page, in the address bar too.
    const old = pageOfOldHash();
    if (old !== undefined) void navigate(`/${old}`, { replace: true });
    else if (asked !== page) void navigate(`/${page}`, { replace: true });
  }, [asked, page, navigate]);
  const Page = PAGES[page].component;
  return (
    <>
      <Menu
        mode="horizontal"
        selectedKeys={[page]}
        items={pages.map((p) => ({
          key: p,
          label: (
            <Link to={`/${p}`}>
              {p === 'alerts' ? (
                <AlertsMenuLabel label={t(PAGES[p].label)} username={session.username} />
              ) : (
                t(PAGES[p].label)
              )}
            </Link>
          ),
        }))}
        style={{ marginBottom: 16 }}
      />
      <Suspense fallback={<Spin description={t('loading')} />}>
        <Page t={t} session={session} />
      </Suspense>
    </>
  );
}

// Kept across restarts of the browser: the shop-floor app must open with no network, and a
// login needs one. Logging out forgets it.
const SESSION_KEY = 'fabpool.session';

export function App({ language, onLanguage }: { language: Language; onLanguage: (l: Language) => void }) {
  const t = (key: MessageKey): string => translate(language, key);
  const [session, setSession] = useState<Session | undefined>(() => {
    const saved = localStorage.getItem(SESSION_KEY);
    return saved === null ? undefined : (JSON.parse(saved) as Session);
  });
  const login = (s: Session) => {
    localStorage.setItem(SESSION_KEY, JSON.stringify(s));
    setSession(s);
  };
  const logout = () => {
    localStorage.removeItem(SESSION_KEY);
    setSession(undefined);
  };
  // One client (and cache) per session: nothing one login read is shown to the next.
  const client = useMemo(() => createApiClient(session?.token), [session?.token]);
  useEffect(() => {
    window.addEventListener(LOGIN_EXPIRED_EVENT, logout);
    return () => {
      window.removeEventListener(LOGIN_EXPIRED_EVENT, logout);
    };
  }, []);
  return (
    <Provider value={client}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header
          style={{
            display: 'flex',
            flexWrap: 'wrap',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 8,
            height: 'auto',
            minHeight: 64,
            padding: '8px 16px',
            lineHeight: 1.4,
          }}
        >
          <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            {t('title')}
          </Typography.Title>
          <Space wrap>
            <Segmented<Language>
              value={language}
              options={[
                { label: '中文', value: 'zh' },
                { label: 'English', value: 'en' },
              ]}
              onChange={onLanguage}
            />
            {session !== undefined && (
              <>
                <Tag color="blue">
                  {session.username} · {session.role}
                </Tag>
                <Button onClick={logout}>{t('logout')}</Button>
              </>
            )}
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          {session === undefined ? (
            <Suspense fallback={<Spin />}>
              <Login t={t} onLogin={login} />
            </Suspense>
          ) : (
            <Pages t={t} session={session} />
          )}
        </Layout.Content>
      </Layout>
    </Provider>
  );
}
