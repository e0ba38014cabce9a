import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffMs, checkTarget, reaches, signatureOf, type Notice } from './notification.js';

describe('notifications', () => {
  it('waits twice as long after each failure, an hour at most', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1_000))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(30, 1_000)).toBe(3_600_000);
  });

  it('signs the exact body with the subscription’s secret', () => {
    const body = '{"kind":"ALERT"}';
    expect(signatureOf('s3cret', body)).toBe(
      `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`,
    );
    expect(signatureOf('s3cret', `${body} `)).not.toBe(signatureOf('s3cret', body));
  });

  it('reaches only those who may see it', () => {
    const notice: Notice = {
      kind: 'ALERT',
      subject: 'a',
      title: 't',
      payload: {},
      factoryMspId: 'FactoryAMSP',
      customerMemberId: 'CustomerAMSP/customer-1',
    };
    const who = (role: string, mspId: string, memberId = `${mspId}/x`) =>
      reaches(notice, { role, mspId, memberId });
    expect(who('factory', 'FactoryAMSP')).toBe(true);
    expect(who('factory', 'FactoryBMSP')).toBe(false);
    expect(who('customer', 'CustomerAMSP', 'CustomerAMSP/customer-1')).toBe(true);
    expect(who('customer', 'CustomerAMSP', 'CustomerAMSP/customer-2')).toBe(false);
    expect(who('auditor', 'AuditMSP')).toBe(true);
    expect(who('supplier', 'SupplierAMSP')).toBe(false);
  });

  it('takes http(s) webhooks and e-mail addresses only', () => {
    expect(checkTarget('WEBHOOK', 'https://erp.example.com/hooks/fabpool')).toBeUndefined();
    expect(checkTarget('WEBHOOK', 'ftp://erp.example.com')).toMatch(/http or https/);
    expect(checkTarget('WEBHOOK', 'not a url')).toMatch(/not an address/);
    expect(checkTarget('EMAIL', 'planner@factory-a.cn')).toBeUndefined();
    expect(checkTarget('EMAIL', 'planner at factory')).toMatch(/not an e-mail/);
  });
});
