import { Button, Input, InputNumber, Popconfirm, Select, Space, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useOrganisationName } from '../organisations';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { AmendWorkOrderInput, MyOrdersQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { bucketInHours, shiftLabel } from '../session';
import { useAction } from '../useAction';

const AMEND_WORK_ORDER = graphql(`
  mutation AmendWorkOrder($r: AmendWorkOrderInput!) {
    amendWorkOrder(request: $r) {
      ...LedgerWrite
    }
  }
`);
const CANCEL_WORK_ORDER = graphql(`
  mutation CancelWorkOrder($r: CancelWorkOrderInput!) {
    cancelWorkOrder(request: $r) {
      ...LedgerWrite
    }
  }
`);
type Order = MyOrdersQuery['pool']['edges'][number]['node'];
type Amendment = Order['amendments'][number];

/** An amendment in one line: what changed, and where it stands. */
export function amendmentLine(
  t: PageProps['t'],
  a: Amendment,
  nameOf: (mspId: string) => string = (mspId) => mspId.replace(/MSP$/, ''),
): string {
  const changes = [
    a.quantity === null ? '' : `${t('quantity')} ${a.quantity.from} → ${a.quantity.to}`,
    a.dueBucket === null ? '' : `${t('due')} ${shiftLabel(a.dueBucket.from)} → ${shiftLabel(a.dueBucket.to)}`,
    a.priority === null
      ? ''
      : `${t('priority')} ${t(a.priority.from === 'RUSH' ? 'rush' : 'normal')} → ${t(a.priority.to === 'RUSH' ? 'rush' : 'normal')}`,
  ].filter((c) => c !== '');
  const waiting = a.consentOf.filter((m) => !a.consents.some((c) => c.mspId === m));
  const state =
    a.status === 'AWAITING_CONSENT'
      ? `${t('AWAITING_CONSENT')} ${waiting.map(nameOf).join('、')}`
      : a.status === 'DECLINED'
        ? `${t('DECLINED')} ${a.consents
            .filter((c) => !c.consent)
            .map((c) => `${nameOf(c.mspId)}${c.note === null ? '' : `（${c.note}）`}`)
            .join('、')}`
        : t('APPLIED');
  return `#${a.seq} ${a.requestedAt.slice(5, 16).replace('T', ' ')} · ${changes.join('，')}${a.reason === null ? '' : ` · ${a.reason}`} · ${state}`;
}

/**
 * Changing an open order (变更): fewer units, another due time, another priority, or cancelling it;
 * each change recorded on the ledger and listed here. A change that cuts into a factory's accepted
 * lot, or brings the due time forward, waits for that factory's consent.
 */
export function AmendOrder({
  t,
  order,
  onChanged,
}: Pick<PageProps, 't'> & { order: Order; onChanged: () => void }) {
  const api = useApi();
  const nameOf = useOrganisationName();
  const { run, banner, busy } = useAction(t);
  const [quantity, setQuantity] = useState<number | undefined>();
  const [dueHours, setDueHours] = useState<number | undefined>();
  const [priority, setPriority] = useState<AmendWorkOrderInput['priority']>();
  const [reason, setReason] = useState('');
  const open = order.status === 'OPEN';
  const waiting = order.pendingAmendment !== null;
  const amend = async () => {
    const request: AmendWorkOrderInput = {
      workOrderId: order.id,
      ...(quantity === undefined ? {} : { quantity }),
      ...(dueHours === undefined ? {} : { dueBucket: bucketInHours(dueHours) }),
      ...(priority === undefined || priority === null ? {} : { priority }),
      ...(reason.trim() === '' ? {} : { reason: reason.trim() }),
    };
    if (await run(() => api.write(AMEND_WORK_ORDER, { r: request }), `${t('amend')} ${order.id}`)) {
      setQuantity(undefined);
      setDueHours(undefined);
      setPriority(undefined);
      setReason('');
      onChanged();
    }
  };
  const cancel = async () => {
    if (
      await run(
        () => api.write(CANCEL_WORK_ORDER, { r: { workOrderId: order.id } }),
        `${t('cancelOrder')} ${order.id}`,
      )
    )
      onChanged();
  };
  return (
    <div data-testid={`amend-${order.id}`} style={{ marginBottom: 8 }}>
      {banner}
      {order.amendments.length > 0 && (
        <>
          <Typography.Text strong>{t('amendments')}</Typography.Text>
          <Timeline
            style={{ marginTop: 8 }}
            items={order.amendments.map((a) => ({
              color: a.status === 'APPLIED' ? 'green' : a.status === 'DECLINED' ? 'red' : 'blue',
              content: amendmentLine(t, a, nameOf),
            }))}
          />
        </>
      )}
      {open && (
        <Space wrap>
          <InputNumber
            size="small"
            min={1}
            max={order.quantity - 1}
            style={{ width: 110 }}
            placeholder={`${t('quantity')} ≤ ${order.quantity - 1}`}
            aria-label={`${t('newQuantity')} ${order.id}`}
            value={quantity}
            onChange={(v) => {
              setQuantity(v ?? undefined);
            }}
          />
          <InputNumber
            size="small"
            min={8}
            style={{ width: 140 }}
            placeholder={t('dueInHours')}
            aria-label={`${t('newDueInHours')} ${order.id}`}
            value={dueHours}
            onChange={(v) => {
              setDueHours(v ?? undefined);
            }}
          />
          <Select
            size="small"
            style={{ width: 100 }}
            placeholder={t('priority')}
            aria-label={`${t('newPriority')} ${order.id}`}
            value={priority}
            onChange={(v: AmendWorkOrderInput['priority']) => {
              setPriority(v);
            }}
            options={[
              { value: 'NORMAL', label: t('normal') },
              { value: 'RUSH', label: t('rush') },
            ]}
          />
          <Input
            size="small"
            style={{ width: 180 }}
            placeholder={t('amendReason')}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
            }}
          />
          <Button size="small" type="primary" loading={busy} disabled={waiting} onClick={() => void amend()}>
            {waiting ? t('amendmentWaiting') : t('amend')}
          </Button>
          <Popconfirm
            title={t('cancelOrderConfirm')}
            onConfirm={() => void cancel()}
            okText={t('cancelOrder')}
          >
            <Button size="small" danger loading={busy}>
              {t('cancelOrder')}
            </Button>
          </Popconfirm>
        </Space>
      )}
    </div>
  );
}
