import { Button, Layout, Menu, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState, type ComponentType } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Provider } from 'urql';
import { createApiClient, LOGIN_EXPIRED_EVENT } from './api';
import { translate, type Language, type MessageKey } from './i18n';
import type { PageProps, Session } from './session';
import { AlertsMenuLabel } from './AlertBadges';

const Login = lazy(() => import('./pages/Login'));

/**
 * A page's chunk, loaded when first shown — or before the app's first render when it is the page
 * the app opens on (`preloadOpeningPage`): a page that suspends is revealed no sooner than 300 ms
 * after its fallback (React batches reveals), which was most of the board's first load.
 */
function pageChunk(load: () => Promise<{ default: ComponentType<PageProps> }>) {
  let loaded: ComponentType<PageProps> | undefined;
  const Lazy = lazy(load);
  return {
    preload: async () => {
      loaded = (await load()).default;
    },
    Page: (props: PageProps) => {
      const Loaded = loaded;
      return Loaded === undefined ? <Lazy {...props} /> : <Loaded {...props} />;
    },
  };
}

// Each page is its own chunk: a phone on the shop floor loads the scan app, not the charts.
const PAGES = {
  board: { label: 'navBoard', chunk: pageChunk(() => import('./pages/Board')) },
  factory: { label: 'navFactory', chunk: pageChunk(() => import('./pages/FactoryConsole')) },
  'shop-floor': { label: 'navShopFloor', chunk: pageChunk(() => import('./pages/ShopFloor')) },
  labels: { label: 'printLabels', chunk: pageChunk(() => import('./pages/Labels')) },
  capacity: { label: 'navCapacity', chunk: pageChunk(() => import('./pages/Capacity')) },
  matcher: { label: 'navMatcher', chunk: pageChunk(() => import('./pages/Matcher')) },
  orders: { label: 'navOrders', chunk: pageChunk(() => import('./pages/Orders')) },
  quotas: { label: 'navCustomer', chunk: pageChunk(() => import('./pages/Customer')) },
  supplier: { label: 'navSupplier', chunk: pageChunk(() => import('./pages/Supplier')) },
  alerts: { label: 'navAlerts', chunk: pageChunk(() => import('./pages/Alerts')) },
  analytics: { label: 'navAnalytics', chunk: pageChunk(() => import('./pages/Analytics')) },
  audit: { label: 'navAudit', chunk: pageChunk(() => import('./pages/Audit')) },
  members: { label: 'navMembers', chunk: pageChunk(() => import('./pages/Members')) },
} as const satisfies Record<string, { label: MessageKey; chunk: unknown }>;
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

/** The page a path opens for a role: the one it names when the role has it, else the role's main page. */
function pageFor(role: string, pathname: string): { asked: PageName; page: PageName; pages: PageName[] } {
  const pages = ROLE_PAGES[role] ?? ['board'];
  const asked = pathname.replace(/^\//, '').split('/')[0] as PageName;
  return { asked, page: pages.includes(asked) ? asked : (pages[0] ?? 'board'), pages };
}

function Pages({ t, session }: PageProps) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { asked, page, pages } = pageFor(session.role, pathname);
  useEffect(() => {
    // A page this role does not have (or none) becomes its main page, in the address bar too.
    const old = pageOfOldHash();
    if (old !== undefined) void navigate(`/${old}`, { replace: true });
    else if (asked !== page) void navigate(`/${page}`, { replace: true });
  }, [asked, page, navigate]);
  const Page = PAGES[page].chunk.Page;
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

const savedSession = (): Session | undefined => {
  const saved = localStorage.getItem(SESSION_KEY);
  return saved === null ? undefined : (JSON.parse(saved) as Session);
};

/**
 * Loads the chunk of the page the app is about to open (a logged-in person's), so that its first
 * render shows it at once; resolves anyway after `waitMs`, when the network is slow.
 */
export async function preloadOpeningPage(waitMs: number): Promise<void> {
  const session = savedSession();
  if (session === undefined || pageOfOldHash() !== undefined) return;
  const { page } = pageFor(session.role, window.location.pathname);
  await Promise.race([
    PAGES[page].chunk.preload().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, waitMs)),
  ]);
}

export function App({ language, onLanguage }: { language: Language; onLanguage: (l: Language) => void }) {
  const t = (key: MessageKey): string => translate(language, key);
  const [session, setSession] = useState<Session | undefined>(savedSession);
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
