import { describe, expect, it } from 'vitest';
import { alertText, type AlertFacts } from './alertText';
import type { MessageKey } from './i18n';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

const inChinese = (key: MessageKey) => (zhCN as Record<string, string>)[key] ?? key;
const inEnglish = (key: MessageKey) => (en as Record<string, string>)[key] ?? key;
const alert = (kind: string, detail: object): AlertFacts => ({
  kind,
  workOrderId: 'WO-7',
  lotId: 'RUN-1.2',
  message: 'as the api wrote it',
  detail,
});
const SAMPLES: AlertFacts[] = [
  alert('STANDARD_TIME_REACHED', { seq: 2, startedAt: '2026-11-25T08:00:00Z', standardMinutes: 30 }),
  alert('OVERRUN', { seq: 2, actualMinutes: 40, allowedMinutes: 34.5, openedAt: '2026-11-25T09:00:00Z' }),
  alert('FROZEN_OPERATION', {
    seq: 2,
    actualMinutes: 40,
    allowedMinutes: 34.5,
    openedAt: '2026-11-25T09:00:00Z',
  }),
  alert('ESCALATION', {
    seq: 2,
    level: 3,
    at: '2026-11-25T09:30:00Z',
    openedAt: '2026-11-25T09:00:00Z',
    notified: [{ party: 'CUSTOMER' }, { party: 'OPERATOR' }],
  }),
  alert('SUPPLIER_DELAY', { materialCode: 'AL-6061', delayHours: 20, alternatives: 3 }),
  alert('UNITS_UNPLACED', {
    unplaced: 173,
    seq: 1,
    minutesWaiting: 18,
    capablePlants: ['A', 'B'],
    refusedBy: ['A', 'B'],
    allRefused: true,
  }),
  alert('PLANT_OVERLOADED', {
    factoryId: 'F-9',
    process: 'WIRE_HARNESS',
    bucket: '2026-11-25T08:00:00Z',
    percent: 108,
    assignedMinutes: 400,
    loadMinutes: 118,
    declaredMinutes: 480,
  }),
  alert('DECISION_DUE', {
    factoryId: 'KS-CNC-02',
    minutesLeft: 42,
    acceptBy: '2026-11-25T08:42:00Z',
  }),
];

describe('alerts in the reader’s language', () => {
  it('writes every kind from its facts, in Chinese and in English, with nothing left unfilled', () => {
    for (const sample of SAMPLES)
      for (const t of [inChinese, inEnglish]) {
        const text = alertText(t, sample);
        expect(text, sample.kind).not.toContain('{{');
        expect(text, sample.kind).not.toBe(sample.message);
      }
  });

  it('says what happened and what to do', () => {
    const of = (kind: string) => SAMPLES.find((a) => a.kind === kind) ?? alert(kind, {});
    expect(alertText(inChinese, of('UNITS_UNPLACED'))).toBe(
      'WO-7 第 1 道工序还有 173 件未派出（发布已 18 分钟）：能做该工序的工厂都已拒单（A、B），请调整交期或单价',
    );
    expect(alertText(inChinese, of('ESCALATION'))).toContain('已通知客户、联盟运营');
    expect(alertText(inChinese, of('PLANT_OVERLOADED'))).toContain('线束负荷为申报产能的 108%');
    expect(alertText(inChinese, of('DECISION_DUE'))).toContain('请在 42 分钟内（11-25 08:42 前）接单或拒单');
  });

  it('reads an alert of a kind it does not know as the api wrote it', () => {
    expect(alertText(inChinese, alert('SOMETHING_NEW', {}))).toBe('as the api wrote it');
  });
});
