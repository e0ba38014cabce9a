import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Spin, Typography } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { PageProps } from '../session';
import { shiftLabel } from '../session';
import { graphql } from '../gql';
import { usePaging } from '../paging';
import { useLiveQuery } from '../useLiveQuery';

/** The lots to label: each lot's record with its work order's part number. */
const LOTS_TO_LABEL = graphql(`
  query LotsToLabel($s: [String!], $first: Int!) {
    myLots(statuses: $s, first: $first) {
      edges {
        node {
          lotId
          partNumber
          bucket
          fromSeq
          toSeq
          quantity
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** Printable labels for the factory's lots: each lot's code as a QR code the shop-floor app reads. */
export default function Labels({ t }: PageProps) {
  const { first, showMore } = usePaging(t);
  const lots = useLiveQuery(LOTS_TO_LABEL, { s: ['ACCEPTED', 'IN_PROGRESS', 'DONE'], first });
  const [codes, setCodes] = useState<Record<string, string>>({});
  const mine = (lots.data?.myLots.edges ?? []).map((e) => e.node);
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
      {showMore(lots.data.myLots.pageInfo)}
    </>
  );
}
