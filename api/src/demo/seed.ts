import { randomUUID } from 'node:crypto';
import { BUCKET_HOURS, type Process } from '@fabpool/chaincode/model';
import type { Ledger } from '@fabpool/network';
import { LedgerCommands } from '../ledger/commands.js';
import { listPricePerUnit, routingOf, SEEDED_PARTS } from './parts.js';

/** The start of the shift `n` shifts after the one `now` is in. */
const bucketAfter = (now: number, n: number): string => {
  const size = BUCKET_HOURS * 3_600_000;
  return new Date((Math.floor(now / size) + n) * size).toISOString().replace('.000Z', 'Z');
};

/** A dozen plants of a Yangtze River Delta cluster, six under each factory organisation. */
const PLANTS: {
  id: string;
  name: string;
  location: string;
  member: string;
  processes: [Process, number][];
}[] = [
  {
    id: 'SZ-INJ-01',
    name: '苏州精塑注塑',
    location: 'Suzhou',
    member: 'factory-a-user',
    processes: [['INJECTION', 90]],
  },
  {
    id: 'KS-CNC-02',
    name: '昆山精密机加',
    location: 'Kunshan',
    member: 'factory-a-user',
    processes: [['CNC', 120]],
  },
  {
    id: 'WX-PNT-03',
    name: '无锡表面涂装',
    location: 'Wuxi',
    member: 'factory-a-user',
    processes: [['PAINTING', 70]],
  },
  {
    id: 'CZ-ASM-04',
    name: '常州总装',
    location: 'Changzhou',
    member: 'factory-a-user',
    processes: [['ASSEMBLY', 60]],
  },
  {
    id: 'NT-SMT-05',
    name: '南通贴片',
    location: 'Nantong',
    member: 'factory-a-user',
    processes: [['SMT', 150]],
  },
  {
    id: 'JX-WH-06',
    name: '嘉兴线束',
    location: 'Jiaxing',
    member: 'factory-a-user',
    processes: [['WIRE_HARNESS', 65]],
  },
  {
    id: 'NB-INJ-07',
    name: '宁波模塑',
    location: 'Ningbo',
    member: 'factory-b-user',
    processes: [
      ['INJECTION', 85],
      ['PAINTING', 75],
    ],
  },
  {
    id: 'HZ-CNC-08',
    name: '杭州数控',
    location: 'Hangzhou',
    member: 'factory-b-user',
    processes: [['CNC', 110]],
  },
  {
    id: 'SH-ASM-09',
    name: '上海电子组装',
    location: 'Shanghai',
    member: 'factory-b-user',
    processes: [
      ['ASSEMBLY', 70],
      ['SMT', 160],
    ],
  },
  {
    id: 'SX-WH-10',
    name: '绍兴线束',
    location: 'Shaoxing',
    member: 'factory-b-user',
    processes: [['WIRE_HARNESS', 60]],
  },
  {
    id: 'TZ-CNC-11',
    name: '台州五金',
    location: 'Taizhou',
    member: 'factory-b-user',
    processes: [
      ['CNC', 100],
      ['ASSEMBLY', 65],
    ],
  },
  {
    id: 'HZ-PNT-12',
    name: '湖州喷涂',
    location: 'Huzhou',
    member: 'factory-b-user',
    processes: [['PAINTING', 68]],
  },
];

/**
 * The demo alliance on an empty ledger: twelve plants with capacity for the next 72 hours (nine
 * shifts), quotas listed and some bought, and a 72-hour pool of work orders. Returns what it made
 * so that the matcher can place the work.
 */
export async function seedDemoAlliance(
  ledger: Ledger,
  log: (line: string) => void,
  now: () => number = () => Date.now(),
): Promise<{ workOrders: number }> {
  const bucketAt = (n: number): string => bucketAfter(now(), n);
  log('Seeding the demo alliance: 12 plants, capacity for 72 h, quotas, work orders');
  const commands = new LedgerCommands(ledger, () => `demo-${randomUUID()}`);
  for (const plant of PLANTS) {
    await commands.send(plant.member, 'registerFactory', {
      factoryId: plant.id,
      name: plant.name,
      location: plant.location,
      processes: plant.processes.map(([process, pricePerMinute]) => ({ process, pricePerMinute })),
    });
    await commands.send(plant.member, 'declareCapacity', {
      factoryId: plant.id,
      entries: plant.processes.flatMap(([process]) =>
        Array.from({ length: 9 }, (_, i) => ({ process, bucket: bucketAt(i + 1), minutes: 960 })),
      ),
    });
  }
  // Quotas: each plant pre-sells part of its first process over the next day; customer-1 buys half of them.
  for (const [i, plant] of PLANTS.entries()) {
    const [process, price] = plant.processes[0] ?? ['CNC', 100];
    const quotaId = `QT-${plant.id}`;
    await commands.send(plant.member, 'listQuota', {
      quotaId,
      factoryId: plant.id,
      process,
      windowStart: bucketAt(2),
      windowEnd: bucketAt(4),
      minutes: 600,
      pricePerMinute: Math.round(price * 0.85),
    });
    if (i % 2 === 0) await commands.send('customer-1', 'buyQuota', { quotaId });
  }
  // Two suppliers, each the other's backup: SupplierB is quicker to call on, at a price.
  const mspOf = (name: string): string => ledger.members().find((m) => m.name === name)?.mspId ?? name;
  const [supplierA, supplierB] = [mspOf('supplier-1'), mspOf('supplier-2')];
  let count = 0;
  for (let i = 0; i < 24; i++) {
    const spec = SEEDED_PARTS[i % SEEDED_PARTS.length] ?? SEEDED_PARTS[0];
    if (spec === undefined) continue;
    await commands.send(i % 3 === 0 ? 'customer-2' : 'customer-1', 'publishWorkOrder', {
      workOrderId: `WO-DEMO-${String(i + 1).padStart(3, '0')}`,
      partNumber: spec.part,
      quantity: 20 + ((i * 37) % 180),
      routing: routingOf(spec),
      dueBucket: bucketAt(3 + (i % 7)),
      priority: i % 8 === 0 ? 'RUSH' : 'NORMAL',
      maxUnitPrice: listPricePerUnit(spec),
      latePenaltyPerUnitPerBucket: 50,
      // Every other order names its material, its supplier and a backup.
      ...(i % 2 === 1
        ? {
            materials: [
              {
                materialCode: spec.material,
                supplierMspId: i % 4 === 1 ? supplierA : supplierB,
                quantity: Math.ceil((20 + ((i * 37) % 180)) * 1.05),
                dueBucket: bucketAt(1 + (i % 2)),
                backups: [
                  i % 4 === 1
                    ? { supplierMspId: supplierB, leadTimeHours: 6, extraCostPerUnit: 120 }
                    : { supplierMspId: supplierA, leadTimeHours: 12, extraCostPerUnit: 60 },
                ],
              },
            ],
          }
        : {}),
    });
    count += 1;
  }
  // One material is already late: its customer finds the alternatives on the order's page.
  await commands.send('supplier-1', 'reportSupplyDelay', {
    workOrderId: 'WO-DEMO-002',
    materialCode: SEEDED_PARTS[1]?.material ?? 'AL-6061-PLATE',
    delayHours: 20,
    reason: '铝板轧制排产延误 plate mill backlog',
  });
  return { workOrders: count };
}
