// model.ts holds the flow constants without zod (for the designer's start-up bundle); these must say
// exactly what the zod schema accepts.
import { describe, expect, it } from 'vitest';
import * as model from '../../compiler/flow/model';
import * as schema from '../../compiler/flow/schema';
import { FlowDocument, FlowNode, Weekday } from '../../compiler/flow/schema';

describe('flow model constants agree with the schema', () => {
  it('NODE_TYPES lists every FlowNode type, once each, and nothing else', () => {
    const discriminators = FlowNode.options.map((o) => o.shape.type.value);
    expect([...model.NODE_TYPES].sort()).toEqual([...discriminators].sort());
    expect(new Set(model.NODE_TYPES).size).toBe(model.NODE_TYPES.length);
    for (const type of model.NODE_TYPES) {
      expect(FlowNode.safeParse({ id: 'n', type }).success).toBe(true);
    }
  });

  it('WEEKDAYS is the Weekday enum, in order', () => {
    expect([...model.WEEKDAYS]).toEqual(Weekday.options);
    expect(Weekday.safeParse('Mon').success).toBe(true);
    expect(Weekday.safeParse('Monday').success).toBe(false);
  });

  it('FLOW_FORMAT is the format literal the document requires', () => {
    expect(FlowDocument.shape.format.value).toBe(model.FLOW_FORMAT);
    const doc = { format: model.FLOW_FORMAT, name: 'x', nodes: [] };
    expect(FlowDocument.safeParse(doc).success).toBe(true);
    expect(FlowDocument.safeParse({ ...doc, format: 'ivr-studio/flow@2' }).success).toBe(false);
  });

  it('schema.ts re-exports the same values, so its importers see no change', () => {
    expect(schema.FLOW_FORMAT).toBe(model.FLOW_FORMAT);
    expect(schema.WEEKDAYS).toBe(model.WEEKDAYS);
    expect(schema.NODE_TYPES).toBe(model.NODE_TYPES);
    expect(schema.outputHandles).toBe(model.outputHandles);
    expect(schema.UNCONNECTED_BEHAVIOUR).toBe(model.UNCONNECTED_BEHAVIOUR);
    expect(schema.BUILTIN_VARIABLES).toBe(model.BUILTIN_VARIABLES);
  });

  it('outputHandles of a parsed menu lists its digits, then timeout and invalid', () => {
    const menu = FlowNode.parse({ id: 'm', type: 'menu', data: { options: [{ digit: '1' }, { digit: '#' }] } });
    expect(model.outputHandles(menu)).toEqual(['1', '#', 'timeout', 'invalid']);
  });
});
