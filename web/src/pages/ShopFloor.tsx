import { explainError } from '../i18n';
import { Alert, Badge, Button, Card, Form, Input, InputNumber, List, message, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { ApiError, useApi } from '../api';
import { graphql } from '../gql';
import type { ReportOperationInput, StartOperationInput } from '../gql/graphql';
import { ScanQueue, type QueuedScan, type SendOutcome } from '../offlineQueue';
import type { PageProps } from '../session';
import { LotPanel, type FloorNext, type RunningMaterial } from './LotPanel';

/**
 * Reading a lot's QR code with the phone's camera through `qr-scanner`, which decodes in a web
 * worker where the browser has no BarcodeDetector (Safari on iOS, Firefox). `start` opens the
 * camera into `video`; the first code read is passed on and the camera closes. Undefined where
 * the page may not use a camera (plain http, an old WebView): the code field then takes a hand
 * scanner's typed input.
 */
function useCameraScan(onCode: (code: string) => void): {
  start: (() => void) | undefined;
  stop: () => void;
  video: RefObject<HTMLVideoElement | null>;
  scanning: boolean;
  failed: boolean;
} {
  const video = useRef<HTMLVideoElement | null>(null);
  const scanner = useRef<{ stop: () => void; destroy: () => void } | undefined>(undefined);
  const [scanning, setScanning] = useState(false);
  const [failed, setFailed] = useState(false);
  const stop = () => {
    scanner.current?.stop();
    scanner.current?.destroy();
    scanner.current = undefined;
    setScanning(false);
  };
  useEffect(() => stop, []);
  const available = 'mediaDevices' in navigator && window.isSecureContext;
  const start = () => {
    setFailed(false);
    setScanning(true);
    void (async () => {
      // Loaded on the first scan: the scan app opens without the decoder.
      const { default: QrScanner } = await import('qr-scanner');
      const element = video.current;
      if (element === null) return;
      const created = new QrScanner(
        element,
        (result) => {
          stop();
          onCode(result.data);
        },
        { preferredCamera: 'environment', returnDetailedScanResult: true, maxScansPerSecond: 10 },
      );
      scanner.current = created;
      await created.start();
    })().catch(() => {
      stop();
      setFailed(true);
    });
  };
  return { start: available ? start : undefined, stop, video, scanning, failed };
}

/** Codes that mean the network or the server failed, not the scan: keep it and try again. */
const RETRYABLE = new Set(['UNKNOWN', 'REQUEST.RATE_LIMITED', 'LEDGER.UNAVAILABLE', 'LEDGER.CONFLICT']);

const START_OPERATION = graphql(`
  mutation StartOperation($r: StartOperationInput!) {
    startOperation(request: $r) {
      ...LedgerWrite
    }
  }
`);
const REPORT_OPERATION = graphql(`
  mutation ReportOperation($r: ReportOperationInput!) {
    reportOperation(request: $r) {
      ...LedgerWrite
    }
  }
`);

/**
 * The phone-sized scan app: a lot's code (typed, or from a QR scanner that types), the operation,
 * good and scrap counts. Every scan joins the device's queue first and is sent from there, so a
 * dead spot on the floor loses nothing and the ledger counts each scan once.
 */
export default function ShopFloor({ t, session }: PageProps) {
  const api = useApi();
  const [pending, setPending] = useState<QueuedScan[]>([]);
  const [refusals, setRefusals] = useState<string[]>([]);
  const [loginExpired, setLoginExpired] = useState(false);
  const queue = useMemo(
    () =>
      new ScanQueue(localStorage, async (scan): Promise<SendOutcome> => {
        try {
          // The request as this page made it at scan time, kept on the phone since (the api's
          // request parser checks it again), with the time of the scan: the operation is timed by
          // the operator's scans, not by when the queue reached the ledger.
          const request = { ...scan.request, scannedAt: scan.scannedAt };
          if (scan.mutation === 'startOperation')
            await api.write(START_OPERATION, { r: request as StartOperationInput });
          else await api.write(REPORT_OPERATION, { r: request as ReportOperationInput });
          // What the ledger now holds, said plainly: the operator sees the scan counted.
          void message.success(
            `${t('recorded')}: ${String(scan.request.lotId)} · ${t('seq')} ${String(scan.request.seq)} · ${
              scan.mutation === 'startOperation'
                ? t('startOp')
                : `${t('reportOp')} · ${t('good')} ${String(scan.request.goodQuantity)} · ${t('scrap')} ${String(scan.request.scrapQuantity)}${
                    scan.request.materialUsed === undefined
                      ? ''
                      : ` · ${t('materialUsed')} ${JSON.stringify(scan.request.materialUsed)}`
                  }`
            }`,
          );
          return { sent: true };
        } catch (e) {
          // An expired login is not the scan's fault: keep it until the worker logs in again.
          if (e instanceof ApiError && e.code.startsWith('AUTH.')) {
            setLoginExpired(true);
            return { sent: false };
          }
          if (e instanceof ApiError && !RETRYABLE.has(e.code))
            return { sent: false, refused: explainError(t, e.code, e.message) };
          return { sent: false };
        }
      }),
    [api],
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
  const [form] = Form.useForm<{
    lotId: string;
    seq: number;
    good: number;
    scrap: number;
    materialUsed?: number | null;
  }>();
  // The running operation's standard consumption: its report then says how much material it used.
  const [material, setMaterial] = useState<RunningMaterial | undefined>();
  const [lotCode, setLotCode] = useState('');
  // Another lot's code: what the last one consumed no longer applies until the new one is looked up.
  const chooseLot = (code: string) => {
    if (code !== lotCode) setMaterial(undefined);
    setLotCode(code);
  };
  const [refresh, setRefresh] = useState(0);
  // The lot's next step fills in the operation and the units to count: the operator corrects, not types.
  const prefill = (next: FloorNext, running: RunningMaterial | undefined) => {
    setMaterial(next.kind === 'REPORT' ? running : undefined);
    if (next.seq === null) return;
    // Material used is left for the operator to weigh or count: prefilled, it would be the standard.
    form.setFieldsValue({ seq: next.seq, good: next.quantity ?? 0, scrap: 0, materialUsed: null });
  };
  const cameraScan = useCameraScan((code) => {
    form.setFieldValue('lotId', code);
    chooseLot(code);
  });
  const scan = (mutation: 'startOperation' | 'reportOperation') => {
    const v = form.getFieldsValue();
    if ((v.lotId as string | undefined) === undefined || v.lotId.trim() === '') return;
    const base = { lotId: v.lotId.trim(), seq: v.seq, operatorId: session.username, machineId: 'PHONE' };
    const materialUsed = v.materialUsed ?? undefined;
    // Asked only of the lot the panel looked up (a code typed and sent at once goes as it is).
    if (
      mutation === 'reportOperation' &&
      base.lotId === lotCode &&
      material !== undefined &&
      materialUsed === undefined
    ) {
      form.setFields([{ name: 'materialUsed', errors: [t('OPERATION.MATERIAL')] }]);
      return;
    }
    chooseLot(base.lotId);
    queue.add(
      {
        mutation,
        request:
          mutation === 'reportOperation'
            ? {
                ...base,
                goodQuantity: v.good,
                scrapQuantity: v.scrap,
                ...(materialUsed === undefined ? {} : { materialUsed }),
              }
            : base,
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
          {cameraScan.start !== undefined && (
            <Button
              block
              type={cameraScan.scanning ? 'default' : 'primary'}
              size="large"
              style={{ marginBottom: 12, height: 72, fontSize: 20 }}
              onClick={cameraScan.scanning ? cameraScan.stop : cameraScan.start}
            >
              {cameraScan.scanning ? t('stopScan') : t('scanQr')}
            </Button>
          )}
          <Form.Item label={t('lotCode')} name="lotId">
            <Input
              size="large"
              autoFocus
              inputMode="text"
              onBlur={(e) => {
                chooseLot(e.target.value.trim());
              }}
            />
          </Form.Item>

          <video
            ref={cameraScan.video}
            data-testid="camera"
            muted
            playsInline
            style={{ width: '100%', display: cameraScan.scanning ? 'block' : 'none', marginBottom: 12 }}
          />
          {cameraScan.failed && (
            <Alert type="warning" title={t('cameraFailed')} style={{ marginBottom: 12 }} />
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
          {material !== undefined && (
            <Form.Item
              label={t('materialUsed')}
              name="materialUsed"
              extra={t('materialStandardHint')
                .replace('{{amount}}', String(material.standard))
                .replace('{{unit}}', material.unit)
                .replace('{{material}}', material.materialCode)}
            >
              <InputNumber
                data-testid="material-used"
                onChange={() => {
                  form.setFields([{ name: 'materialUsed', errors: [] }]);
                }}
                min={0}
                step={0.01}
                size="large"
                style={{ width: '100%' }}
                suffix={material.unit}
              />
            </Form.Item>
          )}
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
      <LotPanel t={t} session={session} lotId={lotCode} refresh={refresh} onNext={prefill} />
      <Card style={{ marginTop: 12 }}>
        <Space>
          <Typography.Text data-testid="queue-state">
            {pending.length === 0 ? t('sentAll') : t('queued')}
          </Typography.Text>
          <Badge count={pending.length} showZero color={pending.length === 0 ? 'green' : 'orange'} />
        </Space>
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
        {loginExpired && pending.length > 0 && (
          <Alert style={{ marginTop: 8 }} type="warning" title={t('loginToSend')} />
        )}
        {refusals.map((r) => (
          <Alert key={r} style={{ marginTop: 8 }} type="error" title={`${t('refused')}${r}`} />
        ))}
      </Card>
    </div>
  );
}
