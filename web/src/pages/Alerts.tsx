import { Alert as Notice, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
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
    void (async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${session.token}`,
        },
        body: JSON.stringify({ query: `subscription { alerts { ${FIELDS} } }` }),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      let buffer = '';
      for (;;) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) return;
        buffer += new TextDecoder().decode(chunk.value);
        const events = buffer.split('\n\n');
        buffer = events.pop() ?? '';
        for (const event of events) {
          const line = event.split('\n').find((l) => l.startsWith('data:'));
          if (line === undefined) continue;
          const alert = (JSON.parse(line.slice(5)) as { data?: { alerts?: AlertItem } }).data?.alerts;
          if (alert !== undefined) setLive((l) => [alert, ...l]);
        }
      }
    })().catch(() => undefined);
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
