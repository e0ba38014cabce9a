import type { Operation, Process } from '@fabpool/chaincode/model';

/** An operation of a demo part: its process, standard minutes per piece and, where it cuts or forms the part's material, how much of it one piece takes. */
type DemoOperation = [Process, number] | [Process, number, { unit: string; perUnit: number }];

/** A part the demo's customers order: its number, its raw material and its routing. */
export interface DemoPart {
  part: string;
  material: string;
  routing: DemoOperation[];
}

/** The parts of the seeded pool. */
export const SEEDED_PARTS: DemoPart[] = [
  {
    part: 'HOUSING-A7 外壳',
    material: 'PC-ABS-GREY',
    routing: [
      ['INJECTION', 2, { unit: 'kg', perUnit: 0.085 }],
      ['PAINTING', 1],
      ['ASSEMBLY', 2],
    ],
  },
  {
    part: 'BRACKET-22 支架',
    material: 'AL-6061-PLATE',
    routing: [
      ['CNC', 3, { unit: 'kg', perUnit: 0.32 }],
      ['PAINTING', 1],
    ],
  },
  {
    part: 'CTRL-BOARD 控制板',
    material: 'PCB-FR4-2L',
    routing: [
      ['SMT', 2, { unit: '片', perUnit: 1 }],
      ['ASSEMBLY', 1],
    ],
  },
  {
    part: 'HARNESS-12 线束',
    material: 'CU-WIRE-0.5',
    routing: [['WIRE_HARNESS', 4, { unit: 'm', perUnit: 2.4 }]],
  },
  { part: 'SHAFT-5 轴', material: 'STEEL-45-BAR', routing: [['CNC', 2, { unit: 'kg', perUnit: 0.6 }]] },
];

/** The parts a simulated customer orders again and again. */
export const REPEAT_PARTS: DemoPart[] = [
  {
    part: 'BRKT-7 支架',
    material: 'AL-6061-PLATE',
    routing: [
      ['CNC', 2, { unit: 'kg', perUnit: 0.28 }],
      ['PAINTING', 1],
    ],
  },
  {
    part: 'HSG-3 外壳',
    material: 'PC-ABS-GREY',
    routing: [
      ['INJECTION', 1, { unit: 'kg', perUnit: 0.06 }],
      ['PAINTING', 1],
    ],
  },
  {
    part: 'PCBA-9 控制板',
    material: 'PCB-FR4-2L',
    routing: [
      ['SMT', 1, { unit: '片', perUnit: 1 }],
      ['ASSEMBLY', 2],
    ],
  },
  {
    part: 'HARNESS-12 线束',
    material: 'CU-WIRE-0.5',
    routing: [['WIRE_HARNESS', 4, { unit: 'm', perUnit: 2.4 }]],
  },
];

/** The part's routing as a publish request takes it. */
export function routingOf(spec: DemoPart): Operation[] {
  return spec.routing.map(([process, standardMinutes, consumption], k) => ({
    seq: k + 1,
    process,
    standardMinutes,
    ...(consumption === undefined ? {} : { material: { materialCode: spec.material, ...consumption } }),
  }));
}

/** The most a customer pays per piece: 1.60 元 per standard minute over the routing, in fen. */
export function listPricePerUnit(spec: DemoPart): number {
  return spec.routing.reduce((sum, [, minutes]) => sum + minutes * 160, 0);
}
