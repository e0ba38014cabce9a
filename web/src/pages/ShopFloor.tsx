import { explainError } from '../i18n';
import { Alert, Badge, Button, Card, Form, Input, InputNumber, List, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, gql } from '../api';
import { ScanQueue, type QueuedScan, type SendOutcome } from '../offlineQueue';
import type { PageProps } from '../session';
import { LotPanel } from './LotPanel';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

/**
 * Reading a lot's QR code with the phone's camera where the browser can (BarcodeDetector); where
 * it cannot, undefined, and the code field takes a hand scanner's typed input instead.
 */
function useCameraScan(onCode: (code: string) => void): (() => void) | undefined {
  const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  // Not every browser has a camera API (an http page, an old WebView).
  if (Detector === undefined || !('mediaDevices' in navigator)) return undefined;
  return () => {
    void (async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      const video = document.createElement('video');
      video.srcObject = stream;
      await video.play();
      const detector = new Detector({ formats: ['qr_code'] });
      try {
        for (let i = 0; i < 100; i++) {
          const [code] = await detector.detect(video);
          if (code !== undefined) {
            onCode(code.rawValue);
            return;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      } finally {
        for (const track of stream.getTracks()) track.stop();
      }
    })();
  };
}

/** Codes that mean the network or the server failed, not the scan: keep it and try again. */
const RETRYABLE = new Set(['UNKNOWN', 'REQUEST.RATE_LIMITED', 'LEDGER.UNAVAILABLE', 'LEDGER.CONFLICT']);

/** The two scans, as the api types them. */
const SCAN_MUTATIONS = {
  startOperation: 'mutation($r: StartOperationInput!) { startOperation(request: $r) { transactionId } }',
  reportOperation: 'mutation($r: ReportOperationInput!) { reportOperation(request: $r) { transactionId } }',
} as const;

/**
 * The phone-sized scan app: a lot's code (typed, or from a QR scanner that types), the operation,
 * good and scrap counts. Every scan joins the device's queue first and is sent from there, so a
 * dead spot on the floor loses nothing and the ledger counts each scan once.
 */
export default function ShopFloor({ t, session }: PageProps) {
  const [pending, setPending] = useState<QueuedScan[]>([]);
  const [refusals, setRefusals] = useState<string[]>([]);
  const queue = useMemo(
    () =>
      new ScanQueue(localStorage, async (scan): Promise<SendOutcome> => {
        try {
          await gql(SCAN_MUTATIONS[scan.mutation], { r: scan.request }, session.token);
          return { sent: true };
        } catch (e) {
          if (e instanceof ApiError && !RETRYABLE.has(e.code))
            return { sent: false, refused: explainError(t, e.code, e.message) };
          return { sent: false };
        }
      }),
    [session.token],
  );
  const flush = () => {
    void queue
      .flush((scan, why) => {
        setRefusals((r) => [...r, `${String(scan.request.lotId)} #${String(scan.request.seq)} ${why}`]);
      })
      .finally(() => {
        setPending(queue.pending());
        setRefresh((r) => r + 1);
      });
  };
  useEffect(() => {
    setPending(queue.pending());
    flush();
    window.addEventListener('online', flush);
    return () => {
      window.removeEventListener('online', flush);
    };
  }, [queue]);
  const [form] = Form.useForm<{ lotId: string; seq: number; good: number; scrap: number }>();
  const [lotCode, setLotCode] = useState('');
  const [refresh, setRefresh] = useState(0);
  const cameraScan = useCameraScan((code) => {
    form.setFieldValue('lotId', code);
    setLotCode(code);
  });
  const scan = (mutation: 'startOperation' | 'reportOperation') => {
    const v = form.getFieldsValue();
    if ((v.lotId as string | undefined) === undefined || v.lotId.trim() === '') return;
    const base = { lotId: v.lotId.trim(), seq: v.seq, operatorId: session.username, machineId: 'PHONE' };
    setLotCode(base.lotId);
    queue.add(
      {
        mutation,
        request:
          mutation === 'reportOperation' ? { ...base, goodQuantity: v.good, scrapQuantity: v.scrap } : base,
      },
      `scan-${crypto.randomUUID()}`,
      new Date().toISOString(),
    );
    setPending(queue.pending());
    if (navigator.onLine) flush();
  };
  return (
    <div style={{ maxWidth: 420, margin: '0 auto' }}>
      <Card title={t('navShopFloor')}>
        <Form form={form} layout="vertical" initialValues={{ seq: 1, good: 0, scrap: 0 }}>
          <Form.Item label={t('lotCode')} name="lotId">
            <Input
              size="large"
              autoFocus
              inputMode="text"
              onBlur={(e) => {
                setLotCode(e.target.value.trim());
              }}
            />
          </Form.Item>
          {cameraScan !== undefined && (
            <Button block style={{ marginBottom: 12 }} onClick={cameraScan}>
              {t('scanQr')}
            </Button>
          )}
          <Space>
            <Form.Item label={t('seq')} name="seq">
              <InputNumber min={1} size="large" />
            </Form.Item>
            <Form.Item label={t('good')} name="good">
              <InputNumber min={0} size="large" />
            </Form.Item>
            <Form.Item label={t('scrap')} name="scrap">
              <InputNumber min={0} size="large" />
            </Form.Item>
          </Space>
          <Space style={{ width: '100%' }} orientation="vertical">
            <Button
              block
              size="large"
              onClick={() => {
                scan('startOperation');
              }}
            >
              {t('startOp')}
            </Button>
            <Button
              block
              size="large"
              type="primary"
              onClick={() => {
                scan('reportOperation');
              }}
            >
              {t('reportOp')}
            </Button>
          </Space>
        </Form>
      </Card>
      <LotPanel t={t} session={session} lotId={lotCode} refresh={refresh} />
      <Card style={{ marginTop: 12 }}>
        <Badge count={pending.length} showZero color={pending.length === 0 ? 'green' : 'orange'}>
          <Typography.Text data-testid="queue-state">
            {pending.length === 0 ? t('sentAll') : t('queued')}
          </Typography.Text>
        </Badge>
        {pending.length > 0 && (
          <List
            size="small"
            dataSource={pending}
            renderItem={(s) => (
              <List.Item key={s.requestId}>
                {String(s.request.lotId)} #{String(s.request.seq)}{' '}
                {s.mutation === 'startOperation' ? t('startOp') : t('reportOp')}
              </List.Item>
            )}
          />
        )}
        {refusals.map((r) => (
          <Alert key={r} style={{ marginTop: 8 }} type="error" title={`${t('refused')}${r}`} />
        ))}
      </Card>
    </div>
  );
}
