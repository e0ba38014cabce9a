import { Alert, Button, Popconfirm, Table, Tag, Typography } from 'antd';
import { useOrganisationName } from '../organisations';
import { useApi } from '../api';
import { graphql } from '../gql';
import type { SupplyAlternativesQuery } from '../gql/graphql';
import type { PageProps } from '../session';
import { shiftLabel, yuan } from '../session';
import { useAction } from '../useAction';
import { useLiveQuery } from '../useLiveQuery';

const SUPPLY_ALTERNATIVES = graphql(`
  query SupplyAlternatives($workOrderId: String!) {
    supplyAlternatives(workOrderId: $workOrderId) {
      materialCode
      delay {
        seq
        supplierMspId
        delayHours
        expectedAt
        reason
        reportedAt
      }
      choice {
        choice
        supplierMspId
        expectedAt
        extraCost
        keepFactoryIds
        chosenAt
      }
      alternatives {
        choice
        supplierMspId
        expectedAt
        finishBucket
        lateShifts
        unplacedUnits
        processingCost
        extraCost
        totalCost
        factoryIds
      }
    }
  }
`);
const CHOOSE_SUPPLY_ALTERNATIVE = graphql(`
  mutation ChooseSupplyAlternative($c: ChooseSupplyAlternativeInput!) {
    chooseSupplyAlternative(choice: $c) {
      choice
      expectedAt
    }
  }
`);
type Material = SupplyAlternativesQuery['supplyAlternatives'][number];
type Alternative = Material['alternatives'][number];

const at = (instant: string): string => instant.slice(5, 16).replace('T', ' ');

/**
 * A late material of the customer's order (来料延误): the supplier's report, and what the customer
 * can do about it, each choice weighed against the current plan (finish, lateness, cost); the
 * choice is signed on the ledger and the matcher re-plans by it.
 */
export function SupplyAlternatives({
  t,
  workOrderId,
  onChosen,
}: Pick<PageProps, 't'> & { workOrderId: string; onChosen: () => void }) {
  const api = useApi();
  const found = useLiveQuery(SUPPLY_ALTERNATIVES, { workOrderId });
  const company = useOrganisationName();
  const { run, banner, busy } = useAction(t);
  const materials = found.data?.supplyAlternatives ?? [];
  if (materials.length === 0) return null;
  const choose = async (m: Material, a: Alternative) => {
    if (
      await run(
        () =>
          api.write(CHOOSE_SUPPLY_ALTERNATIVE, {
            c: {
              workOrderId,
              materialCode: m.materialCode,
              delaySeq: m.delay.seq,
              choice: a.choice,
              ...(a.choice === 'BACKUP_SUPPLIER' ? { backupSupplierMspId: a.supplierMspId } : {}),
            },
          }),
        `${t('chooseAlternative')} ${m.materialCode}`,
      )
    ) {
      found.reload();
      onChosen();
    }
  };
  return (
    <div data-testid={`supply-${workOrderId}`} style={{ marginBottom: 12 }}>
      {banner}
      {materials.map((m) => (
        <div key={m.materialCode} style={{ marginBottom: 8 }}>
          <Alert
            type={m.choice === null ? 'warning' : 'info'}
            showIcon
            title={`${t('materialLate')}：${m.materialCode} · ${company(m.delay.supplierMspId)} · ${t('lateBy')} ${m.delay.delayHours} h · ${t('arrives')} ${at(m.delay.expectedAt)}`}
            description={
              m.choice === null
                ? `${m.delay.reason} — ${t('chooseAlternativeHint')}`
                : `${m.delay.reason} — ${t('chosen')}：${t(m.choice.choice)}${
                    m.choice.choice === 'BACKUP_SUPPLIER' ? ` ${company(m.choice.supplierMspId)}` : ''
                  } · ${t('arrives')} ${at(m.choice.expectedAt)}${
                    m.choice.extraCost > 0 ? ` · ${t('extraCost')} ${yuan(m.choice.extraCost)}` : ''
                  }${m.choice.keepFactoryIds === null ? '' : ` · ${m.choice.keepFactoryIds.join(', ')}`}`
            }
          />
          {m.alternatives.length > 0 && (
            <Table
              data-testid={`alternatives-${workOrderId}-${m.materialCode}`}
              size="small"
              rowKey={(a) => `${a.choice}-${a.supplierMspId}`}
              pagination={false}
              dataSource={m.alternatives}
              columns={[
                {
                  title: t('alternative'),
                  render: (_: unknown, a: Alternative) => (
                    <>
                      <Tag color={a.choice === 'BACKUP_SUPPLIER' ? 'purple' : 'blue'}>{t(a.choice)}</Tag>
                      {company(a.supplierMspId)}
                    </>
                  ),
                },
                { title: t('arrives'), render: (_: unknown, a: Alternative) => at(a.expectedAt) },
                {
                  title: t('finishShift'),
                  render: (_: unknown, a: Alternative) =>
                    a.finishBucket === null ? (
                      <Tag color="red">{`${t('notFinished')} (${a.unplacedUnits})`}</Tag>
                    ) : (
                      <>
                        {shiftLabel(a.finishBucket)}{' '}
                        {a.lateShifts === 0 ? (
                          <Tag color="green">{t('onSchedule')}</Tag>
                        ) : (
                          <Tag color="orange">{`${t('lateBy')} ${a.lateShifts} ${t('shifts')}`}</Tag>
                        )}
                      </>
                    ),
                },
                {
                  title: t('processingCost'),
                  render: (_: unknown, a: Alternative) => yuan(a.processingCost),
                },
                { title: t('extraCost'), render: (_: unknown, a: Alternative) => yuan(a.extraCost) },
                {
                  title: t('totalCost'),
                  render: (_: unknown, a: Alternative) => (
                    <Typography.Text strong>{yuan(a.totalCost)}</Typography.Text>
                  ),
                },
                { title: t('plants'), render: (_: unknown, a: Alternative) => a.factoryIds.join(', ') },
                {
                  title: '',
                  render: (_: unknown, a: Alternative) => (
                    <Popconfirm
                      title={`${t('chooseAlternativeConfirm')}：${t(a.choice)} ${company(a.supplierMspId)}`}
                      onConfirm={() => void choose(m, a)}
                      okText={t('choose')}
                    >
                      <Button size="small" type="primary" loading={busy}>
                        {t('choose')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]}
            />
          )}
        </div>
      ))}
    </div>
  );
}
