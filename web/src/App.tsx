import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  Layout,
  Row,
  Segmented,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, gql } from './api';
import { translate, type Language, type MessageKey } from './i18n';

interface Session {
  token: string;
  username: string;
  role: string;
}

interface WorkOrderCard {
  id: string;
  partNumber: string;
  quantity: number;
  status: string;
  priority: string;
  dueBucket: string;
  lots: { id: string; factoryId: string; status: string; quantity: number }[];
}

const SESSION_KEY = 'fabpool.session';

function Login({ t, onLogin }: { t: (k: MessageKey) => string; onLogin: (s: Session) => void }) {
  const [failed, setFailed] = useState<MessageKey | undefined>(undefined);
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

function Board({ t, session }: { t: (k: MessageKey) => string; session: Session }) {
  const [orders, setOrders] = useState<WorkOrderCard[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    gql<{ pool: { edges: { node: WorkOrderCard }[] } }>(
      '{ pool(first: 100) { edges { node { id partNumber quantity status priority dueBucket lots { id factoryId status quantity } } } } }',
      {},
      session.token,
    ).then(
      (data) => {
        setOrders(data.pool.edges.map((e) => e.node));
      },
      (e: unknown) => {
        setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
      },
    );
  }, [session.token]);
  if (error !== undefined) return <Alert type="error" title={`${t('loadFailed')}${error}`} />;
  if (orders === undefined) return <Spin description={t('loading')} />;
  if (orders.length === 0) return <Typography.Text>{t('empty')}</Typography.Text>;
  const columns = [...new Set(orders.map((o) => o.status))].sort();
  return (
    <Row gutter={16}>
      {columns.map((status) => (
        <Col key={status} xs={24} md={12} lg={8}>
          <Typography.Title level={4}>{t(status as MessageKey) || status}</Typography.Title>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {orders
              .filter((o) => o.status === status)
              .map((o) => (
                <Card key={o.id} size="small" title={o.id} data-testid="work-order-card">
                  <div>
                    {t('part')}: {o.partNumber}
                  </div>
                  <div>
                    {t('quantity')}: {o.quantity} · {t('due')}: {o.dueBucket.slice(5, 16).replace('T', ' ')}
                  </div>
                  <div>
                    {t('priority')}:{' '}
                    {o.priority === 'RUSH' ? <Tag color="red">{t('rush')}</Tag> : <Tag>{t('normal')}</Tag>}
                  </div>
                  <div>
                    {t('lots')}:{' '}
                    {o.lots.map((l) => (
                      <Tag key={l.id}>
                        {l.factoryId} ×{l.quantity} {l.status}
                      </Tag>
                    ))}
                  </div>
                </Card>
              ))}
          </Space>
        </Col>
      ))}
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
        {session === undefined ? (
          <Login t={t} onLogin={login} />
        ) : (
          <>
            <Typography.Title level={2}>{t('board')}</Typography.Title>
            <Board t={t} session={session} />
          </>
        )}
      </Layout.Content>
    </Layout>
  );
}
