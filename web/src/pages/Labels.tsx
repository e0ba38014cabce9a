import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Spin, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { useQuery } from '../useQuery';

/** A lot as `myLots` gives it: the lot's record with its work order's part number. */
interface Lot {
  lotId: string;
  partNumber: string | null;
  bucket: string;
  fromSeq: number;
  toSeq: number;
  quantity: number;
}

/** Printable labels for the factory's lots: each lot's code as a QR code the shop-floor app reads. */
export default function Labels({ t, session }: PageProps) {
  const lots = useQuery<{ myLots: Lot[] }>(
    'query($s: [String!]) { myLots(statuses: $s) { lotId partNumber bucket fromSeq toSeq quantity } }',
    { s: ['ACCEPTED', 'IN_PROGRESS', 'DONE'] },
    session.token,
  );
  const [codes, setCodes] = useState<Record<string, string>>({});
  const mine = lots.data?.myLots ?? [];
  const ids = mine.map((l) => l.lotId).join(',');
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
  if (lots.data === undefined) return <Spin description={t('loading')} />;
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
        {mine.map((l) => (
          <Col key={l.lotId} xs={12} md={6}>
            <Card size="small" style={{ breakInside: 'avoid' }}>
              <div
                data-testid="qr"
                style={{ width: 140 }}
                dangerouslySetInnerHTML={{ __html: codes[l.lotId] ?? '' }}
              />
              <Typography.Text strong>{l.lotId}</Typography.Text>
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
