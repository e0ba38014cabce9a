import { Alert as Notice, List, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useSubscription } from 'urql';
import { markAlertsSeen } from '../alertBadge';
import { graphql } from '../gql';
import type { AlertsQuery } from '../gql/graphql';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { usePaging } from '../paging';
import { useLiveQuery } from '../useLiveQuery';
import { Notifications } from './Notifications';
import { alertText } from '../alertText';

type AlertItem = AlertsQuery['alerts']['edges'][number]['node'];

const ALERTS = graphql(`
  query Alerts($first: Int!) {
    alerts(first: $first) {
      edges {
        node {
          id
          kind
          raisedAt
          workOrderId
          lotId
          message
          detail
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const NEW_ALERTS = graphql(`
  subscription NewAlerts {
    alerts {
      id
      kind
      raisedAt
      workOrderId
      lotId
      message
      detail
    }
  }
`);

/** Alerts concerning the user: the latest, then each new one as the api raises it (server-sent events). */
export default function Alerts({ t, session }: PageProps) {
  const { first, showMore } = usePaging(t);
  const { data, error } = useLiveQuery(ALERTS, { first });
  const [{ data: live = [] }] = useSubscription({ query: NEW_ALERTS }, (seen: AlertItem[] = [], event) => [
    event.alerts,
    ...seen,
  ]);
  // Looking at the page is reading them: the menu's badge starts again from zero (from the newest
  // shown, should the server's clock be ahead of this device's).
  const newest = [...live.map((a) => a.raisedAt), ...(data?.alerts.edges ?? []).map((e) => e.node.raisedAt)]
    .sort()
    .pop();
  useEffect(() => {
    const now = new Date().toISOString();
    markAlertsSeen(session.username, newest !== undefined && newest > now ? newest : now);
  }, [session.username, newest]);
  if (error !== undefined) return <Notice type="error" title={`${t('loadFailed')}${error}`} />;
  const seen = new Set(live.map((a) => a.id));
  const all = [...live, ...(data?.alerts.edges ?? []).map((e) => e.node).filter((a) => !seen.has(a.id))];
  return (
    <>
      <Typography.Title level={3}>{t('alerts')}</Typography.Title>
      <List
        data-testid="alerts"
        locale={{ emptyText: t('noAlerts') }}
        dataSource={all}
        renderItem={(a) => (
          <List.Item key={a.id}>
            <List.Item.Meta
              title={
                <>
                  <Tag color={a.kind === 'ESCALATION' ? 'red' : a.kind === 'OVERRUN' ? 'orange' : 'gold'}>
                    {t(a.kind as MessageKey) || a.kind}
                  </Tag>
                  {a.workOrderId} {a.lotId}
                </>
              }
              description={
                <span
                  title={a.message}
                >{`${a.raisedAt.slice(5, 19).replace('T', ' ')} · ${alertText(t, a)}`}</span>
              }
            />
          </List.Item>
        )}
      />
      {showMore(data?.alerts.pageInfo)}
      <Notifications t={t} session={session} />
    </>
  );
}
