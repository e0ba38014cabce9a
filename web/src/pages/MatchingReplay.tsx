import { Alert, Button, Card, Descriptions, List, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, useApi } from '../api';
import { graphql } from '../gql';
import type { AssignmentRunsQuery, ReplayAssignmentRunQuery } from '../gql/graphql';
import { explainError } from '../i18n';
import type { PageProps } from '../session';

type Run = AssignmentRunsQuery['assignmentRuns'][number];
type Replay = ReplayAssignmentRunQuery['replayAssignmentRun'];

const ASSIGNMENT_RUNS = graphql(`
  query AssignmentRuns {
    assignmentRuns(first: 30) {
      runId
      inputHash
      objective
      lots
      withdrawn
      recordedAt
    }
  }
`);
const REPLAY = graphql(`
  query ReplayAssignmentRun($runId: String!) {
    replayAssignmentRun(runId: $runId) {
      runId
      inputHash
      inputFound
      hashMatches
      inputBytes
      lotsRecorded
      lotsReplayed
      withdrawnRecorded
      withdrawnReplayed
      differences
      identical
    }
  }
`);

/**
 * The auditor replays a matcher run: the input stored on the ledger under the run's hash is
 * fetched and checked, the matcher runs again on it here, and its lots are compared with the
 * ledger's, byte for byte.
 */
export function MatchingReplay({ t }: PageProps) {
  const api = useApi();
  const [runs, setRuns] = useState<Run[] | undefined>();
  const [replays, setReplays] = useState<Record<string, Replay>>({});
  const [busy, setBusy] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  useEffect(() => {
    api
      .query(ASSIGNMENT_RUNS, {})
      .then((d) => {
        setRuns(d.assignmentRuns);
      })
      .catch((e: unknown) => {
        setFailure(e instanceof ApiError ? explainError(t, e.code, e.message) : String(e));
      });
  }, [api, t]);
  const replay = async (runId: string) => {
    setBusy(runId);
    setFailure(undefined);
    try {
      const d = await api.query(REPLAY, { runId });
      setReplays((before) => ({ ...before, [runId]: d.replayAssignmentRun }));
    } catch (e) {
      setFailure(e instanceof ApiError ? explainError(t, e.code, e.message) : String(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Card title={t('replayTitle')}>
      <Typography.Paragraph type="secondary">{t('replayHelp')}</Typography.Paragraph>
      {failure !== undefined && <Alert type="error" title={`${t('actionFailed')}${failure}`} />}
      <Table<Run>
        data-testid="assignment-runs"
        size="small"
        rowKey="runId"
        loading={runs === undefined && failure === undefined}
        dataSource={runs ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('replayNoRuns') }}
        expandable={{
          expandedRowKeys: Object.keys(replays),
          showExpandColumn: false,
          expandedRowRender: (run) => {
            const r = replays[run.runId];
            return r === undefined ? null : <ReplayVerdict t={t} replay={r} />;
          },
        }}
        columns={[
          { title: t('replayRun'), dataIndex: 'runId' },
          {
            title: t('replayRecordedAt'),
            render: (_: unknown, r: Run) => new Date(r.recordedAt).toLocaleString('zh-CN', { hour12: false }),
          },
          { title: t('replayLots'), render: (_: unknown, r: Run) => `${r.lots} / ${r.withdrawn}` },
          {
            title: t('replayInputHash'),
            render: (_: unknown, r: Run) => (
              <Typography.Text code>{r.inputHash.slice(0, 12)}…</Typography.Text>
            ),
          },
          {
            title: '',
            render: (_: unknown, r: Run) => (
              <Button
                size="small"
                loading={busy === r.runId}
                data-testid={`replay-${r.runId}`}
                onClick={() => void replay(r.runId)}
              >
                {t('replayButton')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

function ReplayVerdict({ t, replay }: { t: PageProps['t']; replay: Replay }) {
  return (
    <div data-testid={`replay-verdict-${replay.runId}`}>
      <Alert
        type={replay.identical ? 'success' : 'error'}
        title={
          replay.identical
            ? t('replayIdentical')
            : !replay.inputFound
              ? t('replayNoInput')
              : !replay.hashMatches
                ? t('replayHashMismatch')
                : t('replayDifferent')
        }
      />
      <Descriptions size="small" column={3} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('replayInputBytes')}>
          {replay.inputBytes.toLocaleString()}
        </Descriptions.Item>
        <Descriptions.Item label={t('replayLotsCompared')}>
          {replay.lotsRecorded} / {replay.lotsReplayed}
        </Descriptions.Item>
        <Descriptions.Item label={t('replayWithdrawnCompared')}>
          {replay.withdrawnRecorded} / {replay.withdrawnReplayed}
        </Descriptions.Item>
      </Descriptions>
      {replay.differences.length > 0 && (
        <List
          size="small"
          header={t('replayDifferences')}
          dataSource={replay.differences.slice(0, 50)}
          renderItem={(d) => (
            <List.Item>
              <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>
                {d}
              </Typography.Text>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
