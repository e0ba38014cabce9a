import { Alert, Button, Checkbox, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { NotificationKind, NotificationsQuery } from '../gql/graphql';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { useAction } from '../useAction';
import { usePaging } from '../paging';
import { useLiveQuery } from '../useLiveQuery';

const NOTIFICATIONS = graphql(`
  query Notifications($first: Int!) {
    notificationSubscriptions {
      id
      channel
      target
      eventKinds
      createdAt
    }
    notificationDeliveries(first: $first) {
      edges {
        node {
          id
          channel
          target
          eventKind
          subject
          status
          attempts
          lastError
          deliveredAt
          createdAt
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);
const SUBSCRIBE_WEBHOOK = graphql(`
  mutation SubscribeWebhook($url: String!, $kinds: [NotificationKind!]!) {
    subscribeWebhook(url: $url, eventKinds: $kinds) {
      subscription {
        id
      }
      secret
    }
  }
`);
const SUBSCRIBE_EMAIL = graphql(`
  mutation SubscribeEmail($address: String!, $kinds: [NotificationKind!]!) {
    subscribeEmail(address: $address, eventKinds: $kinds) {
      subscription {
        id
      }
    }
  }
`);
const UNSUBSCRIBE = graphql(`
  mutation Unsubscribe($id: Int!) {
    unsubscribe(id: $id)
  }
`);
type Delivery = NotificationsQuery['notificationDeliveries']['edges'][number]['node'];
type Subscribed = NotificationsQuery['notificationSubscriptions'][number];
const KINDS: NotificationKind[] = ['ALERT', 'ESCALATION', 'ASSIGNMENT', 'SETTLEMENT'];

/**
 * Notifications outside the app (消息推送): a partner system's webhook or an e-mail address gets
 * the alerts, escalations, new lots and settlements the member may see; each delivery is logged.
 */
export function Notifications({ t }: PageProps) {
  const api = useApi();
  const { first, showMore } = usePaging(t);
  const found = useLiveQuery(NOTIFICATIONS, { first });
  const { run, banner, busy } = useAction(t);
  const [channel, setChannel] = useState<'WEBHOOK' | 'EMAIL'>('WEBHOOK');
  const [target, setTarget] = useState('');
  const [kinds, setKinds] = useState<NotificationKind[]>(['ALERT', 'ESCALATION']);
  const [secret, setSecret] = useState<string | undefined>();
  const kindLabel = (k: NotificationKind) => t(`notify${k}` as MessageKey);
  const subscribe = async () => {
    const done = await run(async () => {
      if (channel === 'WEBHOOK') {
        const answer = await api.mutate(SUBSCRIBE_WEBHOOK, { url: target.trim(), kinds });
        setSecret(answer.subscribeWebhook.secret ?? undefined);
      } else await api.mutate(SUBSCRIBE_EMAIL, { address: target.trim(), kinds });
      return target.trim();
    }, t('subscribe'));
    if (done) {
      setTarget('');
      found.reload();
    }
  };
  const unsubscribe = async (id: number) => {
    if (await run(() => api.mutate(UNSUBSCRIBE, { id }), `${t('unsubscribe')} #${id}`)) found.reload();
  };
  return (
    <div data-testid="notifications" style={{ marginTop: 24 }}>
      <Typography.Title level={4}>{t('notifications')}</Typography.Title>
      {banner}
      {secret !== undefined && (
        <Alert
          data-testid="webhook-secret"
          type="warning"
          style={{ marginBottom: 8 }}
          title={t('webhookSecretOnce')}
          description={<Typography.Text copyable>{secret}</Typography.Text>}
        />
      )}
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented
          value={channel}
          onChange={(v) => {
            setChannel(v as 'WEBHOOK' | 'EMAIL');
          }}
          options={[
            { value: 'WEBHOOK', label: 'Webhook' },
            { value: 'EMAIL', label: t('email') },
          ]}
        />
        <Input
          style={{ width: 320 }}
          aria-label={t('notifyTarget')}
          placeholder={
            channel === 'WEBHOOK' ? 'https://erp.example.com/hooks/fabpool' : 'planner@example.com'
          }
          value={target}
          onChange={(e) => {
            setTarget(e.target.value);
          }}
        />
        <Checkbox.Group
          value={kinds}
          onChange={(v) => {
            setKinds(v);
          }}
          options={KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
        />
        <Button type="primary" loading={busy} onClick={() => void subscribe()}>
          {t('subscribe')}
        </Button>
      </Space>
      <Table
        data-testid="notification-subscriptions"
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={found.data?.notificationSubscriptions ?? []}
        columns={[
          { title: t('channel'), dataIndex: 'channel' },
          { title: t('notifyTarget'), dataIndex: 'target' },
          {
            title: t('notifyKinds'),
            render: (_: unknown, s: Subscribed) => s.eventKinds.map(kindLabel).join('、'),
          },
          {
            title: '',
            render: (_: unknown, s: Subscribed) => (
              <Button size="small" onClick={() => void unsubscribe(s.id)}>
                {t('unsubscribe')}
              </Button>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('deliveryLog')}
      </Typography.Title>
      <Table
        data-testid="notification-deliveries"
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={(found.data?.notificationDeliveries.edges ?? []).map((e) => e.node)}
        columns={[
          { title: t('notifyKinds'), render: (_: unknown, d: Delivery) => kindLabel(d.eventKind) },
          { title: t('notifyTarget'), dataIndex: 'target' },
          { title: t('subjectOf'), dataIndex: 'subject' },
          {
            title: t('status'),
            render: (_: unknown, d: Delivery) => (
              <Tag color={d.status === 'DELIVERED' ? 'green' : d.status === 'FAILED' ? 'red' : 'blue'}>
                {t(`delivery${d.status}` as MessageKey)}
              </Tag>
            ),
          },
          { title: t('attempts'), dataIndex: 'attempts' },
          { title: t('lastError'), render: (_: unknown, d: Delivery) => d.lastError ?? '' },
        ]}
      />
      {showMore(found.data?.notificationDeliveries.pageInfo)}
    </div>
  );
}
