import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Spin, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { useQuery } from '../useQuery';

interface Lot {
  id: string;
  workOrderId: string;
  status: string;
  bucket: string;
  fromSeq: number;
  toSeq: number;
  quantity: number;
  record: { factoryMspId: string };
}

/** Printable labels for the factory's lots: each lot's code as a QR code the shop-floor app reads. */
export default function Labels({ t, session }: PageProps) {
  const me = useQuery<{ me: { mspId: string } }>('{ me { mspId } }', {}, session.token);
  const pool = useQuery<{ pool: { edges: { node: { partNumber: string; lots: Lot[] } }[] } }>(
    '{ pool(first: 200, status: "OPEN") { edges { node { partNumber lots { id workOrderId status bucket fromSeq toSeq quantity record } } } } }',
    {},
    session.token,
  );
  const [codes, setCodes] = useState<Record<string, string>>({});
  const lots = (pool.data?.pool.edges ?? []).flatMap((e) =>
    e.node.lots
      .filter(
        (l) =>
          l.record.factoryMspId === me.data?.me.mspId &&
          ['ACCEPTED', 'IN_PROGRESS', 'DONE'].includes(l.status),
      )
      .map((l) => ({ ...l, partNumber: e.node.partNumber })),
  );
  const ids = lots.map((l) => l.id).join(',');
  useEffect(() => {
    void Promise.all(
      ids
        .split(',')
        .filter((id) => id !== '')
        .map(
          async (id) =>
            [id, await QRCode.toString(id, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })] as const,
        ),
    ).then((pairs) => {
      setCodes(Object.fromEntries(pairs));
    });
  }, [ids]);
  if (pool.data === undefined || me.data === undefined) return <Spin description={t('loading')} />;
  return (
    <>
      <Typography.Title level={3}>
        {t('printLabels')}{' '}
        <Button
          icon={<PrinterOutlined />}
          onClick={() => {
            window.print();
          }}
        />
      </Typography.Title>
      <Row gutter={[12, 12]} data-testid="labels">
        {lots.map((l) => (
          <Col key={l.id} xs={12} md={6}>
            <Card size="small" style={{ breakInside: 'avoid' }}>
              <div
                data-testid="qr"
                style={{ width: 140 }}
                dangerouslySetInnerHTML={{ __html: codes[l.id] ?? '' }}
              />
              <Typography.Text strong>{l.id}</Typography.Text>
              <div>
                {l.partNumber} · {t('seq')} {l.fromSeq}
                {l.toSeq > l.fromSeq ? `–${l.toSeq}` : ''} · ×{l.quantity}
              </div>
              <div>{shiftLabel(l.bucket)}</div>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
