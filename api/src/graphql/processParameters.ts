import type { ProcessParameters } from '@fabpool/chaincode/model';
import { oncePerBuilder, type ApiBuilder } from './builder.js';
import { coded } from './context.js';

type ParameterValue = string | number | boolean;

/** One process parameter as GraphQL carries it: its name and exactly one value. */
export interface ProcessParameterEntry {
  name: string;
  text?: string | null;
  number?: number | null;
  flag?: boolean | null;
}

/** The parameters as the chaincode keeps them (name → value), from GraphQL's list of entries. */
export function parametersOf(entries: readonly ProcessParameterEntry[]): Record<string, ParameterValue> {
  const parameters: Record<string, ParameterValue> = {};
  entries.forEach((entry, i) => {
    const values = [entry.text, entry.number, entry.flag].filter((v) => v !== null && v !== undefined);
    const value = values[0];
    if (values.length !== 1 || value === undefined)
      throw coded(
        'REQUEST.INVALID_ARGUMENT',
        `parameters[${i}] (${entry.name}): give exactly one of text, number and flag`,
      );
    if (entry.name in parameters)
      throw coded('REQUEST.INVALID_ARGUMENT', `parameters[${i}]: ${entry.name} is given twice`);
    parameters[entry.name] = value;
  });
  return parameters;
}

/** GraphQL's list of entries, by name, from the parameters as the chaincode keeps them. */
export function entriesOf(parameters: Readonly<Record<string, ParameterValue>>): ProcessParameterEntry[] {
  return Object.keys(parameters)
    .sort()
    .map((name) => {
      const value = parameters[name];
      return typeof value === 'string'
        ? { name, text: value }
        : typeof value === 'number'
          ? { name, number: value }
          : { name, flag: value ?? null };
    });
}

/** The input and output types of process parameters. */
export const processParameterTypes = oncePerBuilder((builder: ApiBuilder) => {
  const description = 'One process parameter: its name and exactly one of a text, a number or a flag.';
  const input = builder.inputType('ProcessParameterInput', {
    description,
    fields: (t) => ({
      name: t.string({ required: true }),
      text: t.string(),
      number: t.float(),
      flag: t.boolean(),
    }),
  });
  const output = builder.objectRef<ProcessParameterEntry>('ProcessParameter').implement({
    description,
    fields: (t) => ({
      name: t.exposeString('name'),
      text: t.string({ nullable: true, resolve: (e) => e.text ?? null }),
      number: t.float({ nullable: true, resolve: (e) => e.number ?? null }),
      flag: t.boolean({ nullable: true, resolve: (e) => e.flag ?? null }),
    }),
  });
  const record = builder.objectRef<ProcessParameters>('ProcessParameters').implement({
    description: "How to make a work order, from the reader's own organisation's private collection.",
    fields: (t) => ({
      workOrderId: t.exposeString('workOrderId'),
      parameters: t.field({ type: [output], resolve: (p) => entriesOf(p.parameters) }),
      notes: t.string({ nullable: true, resolve: (p) => p.notes ?? null }),
      salt: t.exposeString('salt', { description: 'What makes the public hash unguessable.' }),
    }),
  });
  return { input, record };
});
