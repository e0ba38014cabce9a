import { Alert, Button, Card, Form, Input, List, Row, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, useApi } from '../api';
import { graphql } from '../gql';
import type { MessageKey } from '../i18n';
import { enumLabel } from '../labels';
import type { Session } from '../session';

/** Why a login was refused, as the person at the screen can act on it. */
const LOGIN_REFUSALS: Partial<Record<string, MessageKey>> = {
  'AUTH.TOTP_REQUIRED': 'totpRequired',
  'AUTH.INVALID_TOTP': 'totpInvalid',
  'AUTH.TOTP_ENROLMENT_REQUIRED': 'AUTH.TOTP_ENROLMENT_REQUIRED',
  'AUTH.ACCOUNT_LOCKED': 'AUTH.ACCOUNT_LOCKED',
  'AUTH.TOO_MANY_ATTEMPTS': 'AUTH.TOO_MANY_ATTEMPTS',
  'REQUEST.RATE_LIMITED': 'REQUEST.RATE_LIMITED',
};

const LOGIN = graphql(`
  mutation Login($u: String!, $p: String!, $t: String) {
    login(username: $u, password: $p, totp: $t) {
      accessToken
      viewer {
        username
        role
      }
    }
  }
`);

/** A demo login as `/demo` lists it. */
interface CastEntry {
  username: string;
  role: string;
  organisation: string;
  organisationName: string;
  playedBy: 'PERSON' | 'SIMULATOR' | 'NOBODY';
}

const PLAYED_BY: Record<CastEntry['playedBy'], { label: MessageKey; color: string }> = {
  PERSON: { label: 'playedByPerson', color: 'blue' },
  SIMULATOR: { label: 'playedBySimulator', color: 'gold' },
  NOBODY: { label: 'playedByNobody', color: 'default' },
};

/**
 * The login form, with whose node this is and, on a demo, its cast. A chunk of its own: a person
 * already logged in never loads the form.
 */
export default function Login({
  t,
  onLogin,
}: {
  t: (k: MessageKey) => string;
  onLogin: (s: Session) => void;
}) {
  const api = useApi();
  const [failed, setFailed] = useState<MessageKey | undefined>(undefined);
  // An organisation's node serves its own members only: say whose node this is before they try.
  const [organisation, setOrganisation] = useState<string | undefined>(undefined);
  useEffect(() => {
    fetch('/node')
      .then(async (response) =>
        response.ok ? ((await response.json()) as { organisations: string[]; names: string[] }) : undefined,
      )
      .then((node) => {
        if (node?.names.length === 1) setOrganisation(node.names[0]);
      })
      .catch(() => undefined);
  }, []);
  // On a demo: its logins, and which the simulator plays now (the one a person takes is theirs).
  const [cast, setCast] = useState<CastEntry[]>([]);
  useEffect(() => {
    fetch('/demo')
      .then(async (response) => (response.ok ? ((await response.json()) as { cast: CastEntry[] }).cast : []))
      .then(setCast)
      .catch(() => undefined);
  }, []);
  const [form] = Form.useForm<{ username: string; password: string; totp?: string }>();
  const submit = async (values: { username: string; password: string; totp?: string }) => {
    try {
      const data = await api.write(LOGIN, {
        u: values.username,
        p: values.password,
        t: values.totp ?? null,
      });
      onLogin({
        token: data.login.accessToken,
        username: data.login.viewer.username,
        role: data.login.viewer.role,
      });
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      setFailed(LOGIN_REFUSALS[code] ?? (error instanceof ApiError ? 'loginFailed' : 'loginUnreachable'));
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
          form={form}
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
        {cast.length > 0 && (
          <div style={{ marginTop: 24 }} data-testid="demo-cast">
            <Typography.Title level={5}>{t('demoCast')}</Typography.Title>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('demoCastHelp')}
            </Typography.Paragraph>
            <List
              size="small"
              dataSource={cast}
              renderItem={(entry) => (
                <List.Item
                  style={{ cursor: 'pointer' }}
                  onClick={() => {
                    form.setFieldsValue({ username: entry.username });
                  }}
                  extra={
                    <Tag color={PLAYED_BY[entry.playedBy].color}>{t(PLAYED_BY[entry.playedBy].label)}</Tag>
                  }
                >
                  <List.Item.Meta
                    title={entry.username}
                    description={`${enumLabel(t, 'Role', entry.role)} · ${entry.organisationName}`}
                  />
                </List.Item>
              )}
            />
          </div>
        )}
      </Card>
    </Row>
  );
}
