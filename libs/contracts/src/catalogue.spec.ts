import type { JsonSchema } from './json-schema';
import { findPan } from './pan';
import { EVENT_DESCRIPTORS } from './registry';
import { ENVELOPE_SCHEMA } from './validate';

/** Every property of every schema, with its path, so that the docs rule can be checked. */
function properties(schema: JsonSchema, path: string): { path: string; schema: JsonSchema }[] {
  const out: { path: string; schema: JsonSchema }[] = [];
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  for (const [name, child] of Object.entries(props ?? {})) {
    out.push({ path: `${path}.${name}`, schema: child });
    out.push(...properties(child, `${path}.${name}`));
  }
  if (schema.items) out.push(...properties(schema.items as JsonSchema, `${path}[]`));
  return out;
}

describe('the event catalogue (read by bank integrators)', () => {
  const all = [
    { name: 'envelope', schema: ENVELOPE_SCHEMA },
    ...EVENT_DESCRIPTORS.map((d) => ({ name: `${d.type} v${d.schemaVersion}`, schema: d.schema })),
  ];

  it.each(all.map((s) => [s.name, s.schema] as const))('documents every property of %s', (_name, schema) => {
    const undocumented = properties(schema, 'data')
      .filter((p) => typeof p.schema.description !== 'string' || (p.schema.description as string).length < 12)
      .map((p) => p.path);
    expect(undocumented).toEqual([]);
  });

  it('closes every object (typos are caught at the gate)', () => {
    for (const d of EVENT_DESCRIPTORS) {
      const open = [{ path: 'data', schema: d.schema }, ...properties(d.schema, 'data')]
        .filter((p) => p.schema.type === 'object' && p.schema.additionalProperties !== false)
        .map((p) => p.path);
      expect({ type: d.type, open }).toEqual({ type: d.type, open: [] });
    }
  });

  it('describes each event and has a summary', () => {
    for (const d of EVENT_DESCRIPTORS) {
      expect(d.description.length).toBeGreaterThan(60);
      expect(d.summary.length).toBeGreaterThan(10);
    }
  });

  it('has no card number in any example', () => {
    for (const d of EVENT_DESCRIPTORS) expect({ type: d.type, pan: findPan(d.example) }).toEqual({ type: d.type, pan: null });
  });
});
