import {
  ChaincodeError,
  PROCESSES,
  publishWorkOrderItemSchema,
  requestParsers,
  type PublishWorkOrderRequest,
} from '@fabpool/chaincode/model';
import { checkWorkOrderItem } from '@fabpool/chaincode/rules/workOrder';
import { parseCsv } from './csv.js';

export type WorkOrderItem = Omit<PublishWorkOrderRequest, 'requestId'>;
export type ImportFormat = 'CSV' | 'JSON';

/** The columns an ERP export may have, and those it must: the work-order request's own schema. */
const itemSchema = publishWorkOrderItemSchema as unknown as {
  required: string[];
  properties: Record<string, unknown>;
};
export const CSV_COLUMNS: readonly string[] = Object.keys(itemSchema.properties);
const REQUIRED_COLUMNS = itemSchema.required;
export const MAX_IMPORT_ROWS = 500;

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface RowReport {
  /** The CSV line or the JSON array position (from 1) the row came from. */
  row: number;
  workOrderId: string | null;
  errors: string[];
}

const numberOr = (text: string): number | string =>
  /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;

/**
 * `CNC:2:STEEL-45:0.6:kg|PAINTING:1.5` → operations 1, 2 with their process and standard minutes;
 * an operation may go on with its standard consumption: material, amount per piece, unit.
 */
function routingOf(text: string): unknown {
  return text.split('|').map((part, i) => {
    const [process = '', minutes = '', materialCode, perUnit = '', unit = '', ...rest] = part
      .trim()
      .split(':');
    const operation = {
      seq: i + 1,
      process: process.trim().toUpperCase(),
      standardMinutes: numberOr(minutes),
    };
    // Anything after the process and minutes is a consumption: a part of it missing is left for the schema to name.
    if (materialCode === undefined) return operation;
    return {
      ...operation,
      material: {
        materialCode: materialCode.trim(),
        perUnit: numberOr(perUnit),
        unit: [unit, ...rest].join(':').trim(),
      },
    };
  });
}

/** `STEEL-45:20:SupplierMSP:2026-11-26T08:00:00Z;…` → material needs (the bucket keeps its colons). */
function materialsOf(text: string): unknown {
  return text
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [materialCode = '', quantity = '', supplierMspId = '', ...bucket] = part.trim().split(':');
      return { materialCode, quantity: numberOr(quantity), supplierMspId, dueBucket: bucket.join(':') };
    });
}

/** The rows of an ERP file as values to check, each with where it came from. */
export function rowsOf(format: ImportFormat, content: string): { row: number; value: unknown }[] {
  if (format === 'JSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new ImportFileError('the file is not JSON');
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { workOrders?: unknown } | null)?.workOrders;
    if (!Array.isArray(list))
      throw new ImportFileError('JSON must be an array of work orders, or { "workOrders": [...] }');
    return limit((list as unknown[]).map((value, i) => ({ row: i + 1, value })));
  }
  let table: ReturnType<typeof parseCsv>;
  try {
    table = parseCsv(content);
  } catch (error) {
    throw new ImportFileError(error instanceof Error ? error.message : String(error));
  }
  const [header, ...body] = table;
  if (header === undefined) throw new ImportFileError('the file is empty');
  const columns = header.fields.map((f) => f.trim());
  const unknown = columns.filter((c) => !CSV_COLUMNS.includes(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0)
    throw new ImportFileError(
      [
        missing.length > 0 ? `missing columns: ${missing.join(', ')}` : '',
        unknown.length > 0 ? `unknown columns: ${unknown.join(', ')}` : '',
      ]
        .filter((s) => s !== '')
        .join('; ') + ` (columns: ${CSV_COLUMNS.join(', ')})`,
    );
  return limit(
    body.map(({ line, fields }) => {
      const value: Record<string, unknown> = {};
      columns.forEach((column, i) => {
        const text = (fields[i] ?? '').trim();
        if (text === '') return;
        value[column] =
          column === 'routing'
            ? routingOf(text)
            : column === 'materials'
              ? materialsOf(text)
              : ['quantity', 'maxUnitPrice', 'latePenaltyPerUnitPerBucket'].includes(column)
                ? numberOr(text)
                : column === 'priority'
                  ? text.toUpperCase()
                  : text;
      });
      if (fields.length > columns.length) value['(extra fields)'] = fields.slice(columns.length);
      return { row: line, value };
    }),
  );
}

function limit<T>(rows: T[]): T[] {
  if (rows.length === 0) throw new ImportFileError('the file has no work orders');
  if (rows.length > MAX_IMPORT_ROWS)
    throw new ImportFileError(`${rows.length} rows: at most ${MAX_IMPORT_ROWS} in one import`);
  return rows;
}

/** Enum refusals say which values are allowed. */
const plainer = (error: string): string =>
  error
    .replace(/^(\/priority) must be equal to one of the allowed values$/, '$1 must be NORMAL or RUSH')
    .replace(
      /^(\/\S*process) must be equal to one of the allowed values$/,
      `$1 must be one of ${PROCESSES.join(', ')}`,
    );

const detail = (error: unknown): string =>
  error instanceof ChaincodeError ? error.message.slice(error.code.length + 2) : String(error);

/**
 * Checks every row as the chaincode will (its JSON Schema, then the rules of publishing one work
 * order), plus what only a batch can get wrong: an id twice in the file, an id already in the pool.
 * Every row's problems are reported, not only the first row's.
 */
export function checkRows(
  rows: { row: number; value: unknown }[],
  existing: ReadonlySet<string>,
  now: string,
): { items: WorkOrderItem[]; report: RowReport[] } {
  const seen = new Map<string, number>();
  const items: WorkOrderItem[] = [];
  const report = rows.map(({ row, value }): RowReport => {
    const id = (value as { workOrderId?: unknown } | null)?.workOrderId;
    const workOrderId = typeof id === 'string' ? id : null;
    const errors: string[] = [];
    if (workOrderId !== null) {
      const first = seen.get(workOrderId);
      if (first !== undefined) errors.push(`workOrderId ${workOrderId} is also in row ${first}`);
      else seen.set(workOrderId, row);
      if (existing.has(workOrderId)) errors.push(`work order ${workOrderId} is already in the pool`);
    }
    try {
      const item = requestParsers.publishWorkOrderItem.check(value);
      checkWorkOrderItem(undefined, item, now);
      if (errors.length === 0) items.push(item);
    } catch (error) {
      errors.push(
        ...detail(error)
          .replace(/^work order: /, '')
          .split('; ')
          .map(plainer),
      );
    }
    return { row, workOrderId, errors };
  });
  return { items, report };
}
