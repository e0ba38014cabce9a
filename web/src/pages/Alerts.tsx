import { Alert as Notice, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { subscribe } from '../api';
import type { MessageKey } from '../i18n';
import type { PageProps } from '../session';
import { useQuery } from '../useQuery';

interface AlertItem {
  id: number;
  kind: string;
  raisedAt: string;
  workOrderId: string | null;
  lotId: string | null;
  message: string;
}
const FIELDS = 'id kind raisedAt workOrderId lotId message';

/** Alerts concerning the user: the latest, then each new one as the api raises it (server-sent events). */
export default function Alerts({ t, session }: PageProps) {
  const { data, error } = useQuery<{ alerts: AlertItem[] }>(
    `{ alerts(limit: 100) { ${FIELDS} } }`,
    {},
    session.token,
  );
  const [live, setLive] = useState<AlertItem[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    subscribe<{ alerts?: AlertItem }>(
      `subscription { alerts { ${FIELDS} } }`,
      session.token,
      (data) => {
        const alert = data.alerts;
        if (alert !== undefined) setLive((l) => [alert, ...l]);
      },
      controller.signal,
    ).catch(() => undefined);
    return () => {
      controller.abort();
    };
  }, [session.token]);
  if (error !== undefined) return <Notice type="error" title={`${t('loadFailed')}${error}`} />;
  const seen = new Set(live.map((a) => a.id));
  const all = [...live, ...(data?.alerts ?? []).filter((a) => !seen.has(a.id))];
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
              description={`${a.raisedAt.slice(5, 19).replace('T', ' ')} · ${a.message}`}
            />
          </List.Item>
        )}
      />
    </>
  );
}
