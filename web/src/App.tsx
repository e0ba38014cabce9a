import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Layout,
  Menu,
  Row,
  Segmented,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { ApiError, gql } from './api';
import { translate, type Language, type MessageKey } from './i18n';
import type { PageProps, Session } from './session';

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

const pageOfHash = (pages: PageName[]): PageName => {
  const asked = window.location.hash.replace(/^#\/?/, '') as PageName;
  return pages.includes(asked) ? asked : (pages[0] ?? 'board');
};

function Pages({ t, session }: PageProps) {
  const pages = ROLE_PAGES[session.role] ?? ['board'];
  const [page, setPage] = useState<PageName>(() => pageOfHash(pages));
  useEffect(() => {
    const follow = () => {
      setPage(pageOfHash(pages));
    };
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('hashchange', follow);
    };
  }, [pages]);
  const Page = PAGES[page].component;
  return (
    <>
      <Menu
        mode="horizontal"
        selectedKeys={[page]}
        items={pages.map((p) => ({ key: p, label: t(PAGES[p].label) }))}
        onClick={({ key }) => {
          window.location.hash = `#/${key}`;
          setPage(key as PageName);
        }}
        style={{ marginBottom: 16 }}
      />
      <Suspense fallback={<Spin description={t('loading')} />}>
        <Page t={t} session={session} />
      </Suspense>
    </>
  );
}

const SESSION_KEY = 'fabpool.session';

function Login({ t, onLogin }: { t: (k: MessageKey) => string; onLogin: (s: Session) => void }) {
  const [failed, setFailed] = useState<MessageKey | undefined>(undefined);
  // An organisation's node serves its own members only: say whose node this is before they try.
  const [organisation, setOrganisation] = useState<string | undefined>(undefined);
  useEffect(() => {
    fetch('/node')
      .then(async (response) =>
        response.ok ? ((await response.json()) as { organisations: string[] }) : undefined,
      )
      .then((node) => {
        if (node?.organisations.length === 1) setOrganisation(node.organisations[0]);
      })
      .catch(() => undefined);
  }, []);
  const submit = async (values: { username: string; password: string; totp?: string }) => {
    try {
      const data = await gql<{ login: { accessToken: string; viewer: { username: string; role: string } } }>(
        'mutation($u: String!, $p: String!, $t: String) { login(username: $u, password: $p, totp: $t) { accessToken viewer { username role } } }',
        { u: values.username, p: values.password, t: values.totp ?? null },
      );
      onLogin({
        token: data.login.accessToken,
        username: data.login.viewer.username,
        role: data.login.viewer.role,
      });
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      setFailed(
        code === 'AUTH.TOTP_REQUIRED'
          ? 'totpRequired'
          : code === 'AUTH.INVALID_TOTP'
            ? 'totpInvalid'
            : 'loginFailed',
      );
    }
  };
  return (
    <Row justify="center" style={{ marginTop: 96 }}>
      <Card title={t('title')} style={{ width: 360 }}>
        {organisation !== undefined && (
          <Alert
            type="info"
            title={`${t('nodeOf')}${organisation}`}
            description={t('nodeHelp')}
            style={{ marginBottom: 16 }}
          />
        )}
        {failed !== undefined && <Alert type="error" title={t(failed)} style={{ marginBottom: 16 }} />}
        <Form
          layout="vertical"
          onFinish={(v: { username: string; password: string; totp?: string }) => void submit(v)}
        >
          <Form.Item label={t('username')} name="username" rules={[{ required: true }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label={t('password')} name="password" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item label={t('totp')} name="totp" extra={t('totpHelp')}>
            <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            {t('login')}
          </Button>
        </Form>
      </Card>
    </Row>
  );
}

export function App({ language, onLanguage }: { language: Language; onLanguage: (l: Language) => void }) {
  const t = (key: MessageKey): string => translate(language, key);
  const [session, setSession] = useState<Session | undefined>(() => {
    const saved = sessionStorage.getItem(SESSION_KEY);
    return saved === null ? undefined : (JSON.parse(saved) as Session);
  });
  const login = (s: Session) => {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    setSession(s);
  };
  const logout = () => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(undefined);
  };
  return (
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
        {session === undefined ? <Login t={t} onLogin={login} /> : <Pages t={t} session={session} />}
      </Layout.Content>
    </Layout>
  );
}
