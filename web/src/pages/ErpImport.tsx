import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { ImportWorkOrdersMutation } from '../gql/graphql';
import type { PageProps } from '../session';
import { useAction } from '../useAction';

const IMPORT_WORK_ORDERS = graphql(`
  mutation ImportWorkOrders($c: String!, $f: String!) {
    importWorkOrders(content: $c, format: $f) {
      imported
      transactionId
      rows {
        row
        workOrderId
        errors
      }
    }
  }
`);
type ImportReport = ImportWorkOrdersMutation['importWorkOrders'];

/**
 * Work orders from the customer's ERP: a CSV or JSON export, every row checked and reported; all
 * are published in one ledger transaction, or none when a row is wrong.
 */
export function ErpImport({ t }: PageProps) {
  const api = useApi();
  const [file, setFile] = useState<File | undefined>();
  const [report, setReport] = useState<ImportReport | undefined>();
  const { run, banner, busy } = useAction(t);
  const upload = async () => {
    if (file === undefined) return;
    await run(async () => {
      const content = await file.text();
      const format = file.name.toLowerCase().endsWith('.json') ? 'JSON' : 'CSV';
      const d = await api.mutate(IMPORT_WORK_ORDERS, { c: content, f: format });
      setReport(d.importWorkOrders);
    }, file.name);
  };
  const wrong = (report?.rows ?? []).filter((r) => r.errors.length > 0);
  return (
    <Card title={t('erpImport')} style={{ marginTop: 16 }} data-testid="erp-import">
      {banner}
      <Space wrap>
        <input
          type="file"
          accept=".csv,.json,text/csv,application/json"
          aria-label={t('erpFile')}
          onChange={(e) => {
            setFile(e.target.files?.[0]);
            setReport(undefined);
          }}
        />
        <Button type="primary" loading={busy} disabled={file === undefined} onClick={() => void upload()}>
          {t('importAndPublish')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('erpHelp')}
      </Typography.Paragraph>
      {report !== undefined && (
        <>
          <Alert
            data-testid="import-result"
            style={{ marginTop: 12 }}
            type={report.imported ? 'success' : 'error'}
            title={
              report.imported
                ? `${t('imported')} ${report.rows.length}`
                : `${t('importRefused')} ${wrong.length} / ${report.rows.length}`
            }
          />
          {wrong.length > 0 && (
            <Table
              data-testid="import-errors"
              size="small"
              rowKey="row"
              pagination={false}
              dataSource={wrong}
              columns={[
                { title: t('row'), dataIndex: 'row' },
                {
                  title: t('workOrder'),
                  render: (_: unknown, r: ImportReport['rows'][number]) => r.workOrderId ?? '—',
                },
                {
                  title: t('errors'),
                  render: (_: unknown, r: ImportReport['rows'][number]) => r.errors.join('; '),
                },
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}
