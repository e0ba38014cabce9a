import { explainError } from '../i18n';
import { Alert, Button, Card, Descriptions, Form, Input, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, useApi } from '../api';
import { graphql } from '../gql';
import type { MessageKey } from '../i18n';
import type { LotStatusQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { enumLabel, lotStatusLabel, processLabel } from '../labels';

const LOT_STATUS = graphql(`
  query LotStatus($id: String!) {
    lotStatus(lotId: $id) {
      lot {
        lotId
        status
        fromSeq
        toSeq
        quantity
      }
      partNumber
      next {
        kind
        seq
        quantity
      }
      routing {
        seq
        process
        standardMinutes
      }
      progress {
        seq
        status
        startedAt
        standardMinutes
        goodQuantity
        material {
          materialCode
          unit
          standard
        }
      }
      exceptions {
        seq
        status
        openedAt
        actualMinutes
        allowedMinutes
        whileRunning
        escalations {
          level
          at
          notified {
            party
          }
        }
      }
    }
  }
`);
const CLOSE_EXCEPTION = graphql(`
  mutation CloseException($r: CloseExceptionInput!) {
    closeException(request: $r) {
      ...LedgerWrite
    }
  }
`);
type LotStatus = NonNullable<LotStatusQuery['lotStatus']>;
export type FloorNext = LotStatus['next'];
/** The running operation's material and its standard for the units that went in, when it has one. */
export type RunningMaterial = NonNullable<LotStatus['progress'][number]['material']>;

/** How each next step shows: waiting (warning), ready (success), nothing to do (info). */
const NEXT_TYPE: Record<FloorNext['kind'], 'warning' | 'success' | 'info' | 'error'> = {
  DECISION: 'warning',
  MATERIAL: 'warning',
  COUNT: 'warning',
  FROZEN: 'error',
  START: 'success',
  REPORT: 'success',
  HAND_ON: 'info',
  CLOSED: 'info',
};

const RESPONSE_MINUTES = 15;
const clock = (ms: number): string => {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * One lot on the floor: the operation running against its standard time (a countdown), and an
 * open exception plainly — the next step frozen, the form to answer it, and the 15 minutes to do so.
 */
export function LotPanel({
  t,
  lotId,
  refresh,
  onNext,
}: PageProps & {
  lotId: string;
  refresh: number;
  onNext?: (next: FloorNext, material: RunningMaterial | undefined) => void;
}) {
  const api = useApi();
  const [status, setStatus] = useState<LotStatus | null | undefined>();
  const [now, setNow] = useState(Date.now());
  const [failure, setFailure] = useState<string | undefined>();
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  useEffect(() => {
    if (lotId === '') return;
    api.query(LOT_STATUS, { id: lotId }).then(
      (d) => {
        setStatus(d.lotStatus);
        if (d.lotStatus !== null)
          onNext?.(
            d.lotStatus.next,
            d.lotStatus.progress.find((p) => p.status === 'STARTED')?.material ?? undefined,
          );
      },
      () => {
        setStatus(undefined);
      },
    );
  }, [lotId, api, refresh, reload]);
  if (status === undefined || status === null) return null;
  const running = status.progress.find((p) => p.status === 'STARTED');
  const open = status.exceptions.find((e) => e.status === 'OPEN');
  const answer = async (v: { cause: string; firstAction: string; confirmedBy: string }) => {
    try {
      // With no exception open there is nothing to answer: the chaincode's refusal says so.
      await api.write(CLOSE_EXCEPTION, { r: { lotId, seq: open?.seq ?? 0, ...v } });
      setFailure(undefined);
      setReload((r) => r + 1);
    } catch (e) {
      setFailure(e instanceof ApiError ? explainError(t, e.code, e.message) : String(e));
    }
  };
  return (
    <Card style={{ marginTop: 12 }} title={`${t('lotState')} · ${status.lot.lotId}`} data-testid="lot-panel">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('part')}>{status.partNumber}</Descriptions.Item>
        <Descriptions.Item label={t('status')}>
          <Tag>{lotStatusLabel(t, status.lot.status)}</Tag>
        </Descriptions.Item>
        {status.routing
          .filter((op) => op.seq >= status.lot.fromSeq && op.seq <= status.lot.toSeq)
          .map((op) => {
            const p = status.progress.find((x) => x.seq === op.seq);
            return (
              <Descriptions.Item
                key={op.seq}
                label={`${t('seq')} ${op.seq} · ${processLabel(t, op.process)}`}
              >
                {p === undefined
                  ? '—'
                  : p.status === 'REPORTED'
                    ? `✓ ${t('good')} ${p.goodQuantity ?? 0}`
                    : t('running')}
              </Descriptions.Item>
            );
          })}
      </Descriptions>
      <Alert
        data-testid="floor-next"
        style={{ marginBottom: 8 }}
        type={NEXT_TYPE[status.next.kind]}
        title={`${t('floorNext')}: ${enumLabel(t, 'FloorNextKind', status.next.kind)}${
          status.next.seq === null ? '' : ` · ${t('seq')} ${status.next.seq}`
        }${status.next.quantity === null ? '' : ` · ${status.next.quantity} ${t('unitsToCount')}`}`}
      />
      {running !== undefined &&
        (() => {
          const left = Date.parse(running.startedAt) + running.standardMinutes * 60_000 - now;
          return (
            <Alert
              data-testid="countdown"
              type={left >= 0 ? 'info' : 'warning'}
              title={left >= 0 ? `${t('remaining')} ${clock(left)}` : `${t('overStandard')} ${clock(left)}`}
            />
          );
        })()}
      {open !== undefined && (
        <>
          <Alert
            data-testid="frozen"
            style={{ marginTop: 8 }}
            type="error"
            title={t('frozen')}
            description={`${open.actualMinutes} / ${open.allowedMinutes} min${open.whileRunning === true ? ` · ${t('caughtWhileRunning')}` : ''}`}
          />
          {(open.escalations ?? []).length > 0 && (
            <Alert
              data-testid="escalations"
              style={{ marginTop: 8 }}
              type="info"
              title={t('notifiedSoFar')}
              description={(open.escalations ?? [])
                .map(
                  (e) =>
                    `${e.at.slice(11, 16)} ${e.notified.map((n) => t(n.party as MessageKey)).join('、')}`,
                )
                .join(' → ')}
            />
          )}
          {(() => {
            const left = Date.parse(open.openedAt) + RESPONSE_MINUTES * 60_000 - now;
            return left > 0 ? (
              <Alert
                data-testid="response-timer"
                style={{ marginTop: 8 }}
                type="warning"
                title={`${t('respondWithin')} ${clock(left)}`}
              />
            ) : (
              <Alert
                data-testid="response-timer"
                style={{ marginTop: 8 }}
                type="error"
                title={t('escalated')}
              />
            );
          })()}
          {failure !== undefined && (
            <Alert style={{ marginTop: 8 }} type="error" title={`${t('actionFailed')}${failure}`} />
          )}
          <Form
            layout="vertical"
            style={{ marginTop: 8 }}
            onFinish={(v: Parameters<typeof answer>[0]) => void answer(v)}
          >
            <Form.Item label={t('cause')} name="cause" rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item label={t('firstAction')} name="firstAction" rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item label={t('confirmedBy')} name="confirmedBy" rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Button type="primary" danger htmlType="submit" block>
              {t('answer')}
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
