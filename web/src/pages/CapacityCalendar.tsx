import { Button, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { OwnFactoriesQuery, Process } from '../gql/graphql';
import type { PageProps } from '../session';
import { bucketAt, SHIFT_MS } from '../session';
import { useAction } from '../useAction';
import { POOL_CHANGES, useLiveQuery } from '../useLiveQuery';

const OWN_FACTORIES = graphql(`
  query OwnFactories {
    me {
      mspId
    }
    factories {
      id
      mspId
      processes {
        process
        pricePerMinute
      }
    }
  }
`);
const MY_CAPACITY = graphql(`
  query MyCapacity($from: String) {
    myCapacity(fromBucket: $from) {
      factoryId
      process
      bucket
      declaredMinutes
      assignedMinutes
    }
  }
`);
const DECLARE_CAPACITY = graphql(`
  mutation DeclareCapacity($r: DeclareCapacityInput!) {
    declareCapacity(request: $r) {
      ...LedgerWrite
    }
  }
`);
type OwnFactory = OwnFactoriesQuery['factories'][number];

const DAYS = 7;
const SHIFTS_PER_DAY = 3;
const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The factories of the logged-in organisation, for its desks. */
export function useOwnFactories(): OwnFactory[] {
  const found = useLiveQuery(OWN_FACTORIES, {});
  return (found.data?.factories ?? []).filter((f) => f.mspId === found.data?.me.mspId);
}

/**
 * Capacity declared shift by shift on a week's calendar: a row a day, a column a shift, each cell
 * the minutes offered and, beside them, the minutes lots already hold (never declared below).
 */
export function CapacityCalendar({ t }: PageProps) {
  const api = useApi();
  const factories = useOwnFactories();
  const [factoryId, setFactoryId] = useState<string | undefined>();
  const [process, setProcess] = useState<Process | undefined>();
  const factory = factories.find((f) => f.id === factoryId) ?? factories[0];
  const chosenProcess = process ?? factory?.processes[0]?.process;
  // Shifts from the start of today (UTC buckets, shown in local time).
  const firstBucketMs = Math.floor(Date.now() / (SHIFT_MS * SHIFTS_PER_DAY)) * SHIFT_MS * SHIFTS_PER_DAY;
  const capacity = useLiveQuery(MY_CAPACITY, { from: bucketAt(firstBucketMs) }, POOL_CHANGES);
  const [edits, setEdits] = useState<Record<string, number>>({});
  const { run, banner, busy } = useAction(t);
  useEffect(() => {
    setEdits({});
  }, [factory?.id, chosenProcess]);
  if (factory === undefined || chosenProcess === undefined)
    return <Typography.Text type="secondary">{t('noFactory')}</Typography.Text>;
  const held = new Map(
    (capacity.data?.myCapacity ?? [])
      .filter((c) => c.factoryId === factory.id && c.process === chosenProcess)
      .map((c) => [c.bucket, c]),
  );
  const days = Array.from({ length: DAYS }, (_, day) => {
    const buckets = Array.from({ length: SHIFTS_PER_DAY }, (_, s) =>
      bucketAt(firstBucketMs, day * SHIFTS_PER_DAY + s),
    );
    return { day, buckets };
  });
  const save = async () => {
    const entries = Object.entries(edits).map(([bucket, minutes]) => ({
      process: chosenProcess,
      bucket,
      minutes,
    }));
    if (entries.length === 0) return;
    if (
      await run(
        () => api.write(DECLARE_CAPACITY, { r: { factoryId: factory.id, entries } }),
        `${factory.id} · ${chosenProcess} · ${entries.length} ${t('shifts')}`,
      )
    ) {
      setEdits({});
      capacity.reload();
    }
  };
  const dayLabel = (bucket: string) => {
    const d = new Date(bucket);
    return `${d.getMonth() + 1}/${d.getDate()} ${WEEKDAYS_ZH[d.getDay()] ?? ''}`;
  };
  const shiftTitle = (s: number) => {
    const start = new Date(firstBucketMs + s * SHIFT_MS);
    const end = new Date(firstBucketMs + (s + 1) * SHIFT_MS);
    const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:00`;
    return `${t('shift')} ${s + 1} (${hhmm(start)}–${hhmm(end)})`;
  };
  return (
    <>
      {banner}
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('factory')}
          style={{ width: 200 }}
          value={factory.id}
          options={factories.map((f) => ({ value: f.id, label: f.id }))}
          onChange={(v: string) => {
            setFactoryId(v);
            setProcess(undefined);
          }}
        />
        <Select
          aria-label={t('process')}
          style={{ width: 160 }}
          value={chosenProcess}
          options={factory.processes.map((p) => ({ value: p.process, label: p.process }))}
          onChange={(v: Process) => {
            setProcess(v);
          }}
        />
        <Button
          loading={busy}
          type="primary"
          disabled={Object.keys(edits).length === 0}
          onClick={() => void save()}
        >
          {t('saveCapacity')}
        </Button>
      </Space>
      <Table
        data-testid="capacity-calendar"
        size="small"
        rowKey="day"
        pagination={false}
        scroll={{ x: true }}
        dataSource={days}
        columns={[
          { title: t('day'), render: (_: unknown, d: (typeof days)[number]) => dayLabel(d.buckets[0] ?? '') },
          ...[0, 1, 2].map((s) => ({
            title: shiftTitle(s),
            render: (_: unknown, d: (typeof days)[number]) => {
              const bucket = d.buckets[s] ?? '';
              const record = held.get(bucket);
              const past = new Date(bucket).getTime() + SHIFT_MS <= Date.now();
              return (
                <Space size={4}>
                  <InputNumber
                    aria-label={`${t('capacityMinutes')} ${bucket}`}
                    size="small"
                    min={record?.assignedMinutes ?? 0}
                    max={1_000_000}
                    step={60}
                    disabled={past}
                    style={{ width: 90 }}
                    value={edits[bucket] ?? record?.declaredMinutes ?? null}
                    placeholder="0"
                    onChange={(v) => {
                      if (typeof v === 'number') setEdits((e) => ({ ...e, [bucket]: v }));
                    }}
                  />
                  {record !== undefined && record.assignedMinutes > 0 && (
                    <Typography.Text type="secondary">
                      {t('heldMinutes')} {record.assignedMinutes}
                    </Typography.Text>
                  )}
                </Space>
              );
            },
          })),
        ]}
      />
    </>
  );
}
