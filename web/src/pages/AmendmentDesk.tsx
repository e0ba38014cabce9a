import { Button, Input, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { AmendmentsAwaitingMeQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';

const AMENDMENTS_AWAITING_ME = graphql(`
  query AmendmentsAwaitingMe {
    amendmentsAwaitingMe {
      workOrderId
      seq
      requestedAt
      reason
      quantity {
        from
        to
      }
      dueBucket {
        from
        to
      }
      priority {
        from
        to
      }
      touchedLotIds
    }
  }
`);
const ANSWER_AMENDMENT = graphql(`
  mutation AnswerAmendment($r: AnswerAmendmentInput!) {
    answerAmendment(request: $r) {
      ...LedgerWrite
    }
  }
`);
type Asked = AmendmentsAwaitingMeQuery['amendmentsAwaitingMe'][number];

/**
 * Customers' changes that touch this factory's accepted lots (变更确认): fewer units than a lot
 * holds (the lot is released), or an earlier due time (its lateness changes). Consent applies the
 * change once every factory concerned gave it; one refusal declines it.
 */
export function AmendmentDesk({ t }: PageProps) {
  const api = useApi();
  const found = useLiveQuery(AMENDMENTS_AWAITING_ME, {}, POOL_CHANGES);
  const { run, banner, busy } = useAction(t);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const keyOf = (a: Asked) => `${a.workOrderId}#${a.seq}`;
  const answer = async (a: Asked, consent: boolean) => {
    const note = notes[keyOf(a)]?.trim();
    if (
      await run(
        () =>
          api.write(ANSWER_AMENDMENT, {
            r: {
              workOrderId: a.workOrderId,
              seq: a.seq,
              consent,
              ...(note === undefined || note === '' ? {} : { note }),
            },
          }),
        `${t(consent ? 'consent' : 'decline')} ${keyOf(a)}`,
      )
    )
      found.reload();
  };
  return (
    <>
      {banner}
      <List
        data-testid="amendments-to-answer"
        locale={{ emptyText: t('noAmendments') }}
        dataSource={found.data?.amendmentsAwaitingMe ?? []}
        renderItem={(a) => (
          <List.Item key={keyOf(a)}>
            <Space orientation="vertical" size={4}>
              <Typography.Text strong>
                {a.workOrderId} #{a.seq} · {a.requestedAt.slice(5, 16).replace('T', ' ')}
              </Typography.Text>
              <Typography.Text>
                {[
                  a.quantity == null ? '' : `${t('quantity')} ${a.quantity.from} → ${a.quantity.to}`,
                  a.dueBucket == null
                    ? ''
                    : `${t('due')} ${shiftLabel(a.dueBucket.from)} → ${shiftLabel(a.dueBucket.to)}`,
                  a.priority == null
                    ? ''
                    : `${t('priority')} → ${t(a.priority.to === 'RUSH' ? 'rush' : 'normal')}`,
                  a.touchedLotIds.length === 0 ? '' : `${t('releasesLots')} ${a.touchedLotIds.join(', ')}`,
                  a.reason ?? '',
                ]
                  .filter((x) => x !== '')
                  .join(' · ')}
              </Typography.Text>
              <Space wrap>
                <Input
                  size="small"
                  style={{ width: 200 }}
                  placeholder={t('answerNote')}
                  value={notes[keyOf(a)] ?? ''}
                  onChange={(e) => {
                    setNotes({ ...notes, [keyOf(a)]: e.target.value });
                  }}
                />
                <Button size="small" type="primary" loading={busy} onClick={() => void answer(a, true)}>
                  {t('consent')}
                </Button>
                <Button size="small" danger loading={busy} onClick={() => void answer(a, false)}>
                  {t('decline')}
                </Button>
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </>
  );
}
