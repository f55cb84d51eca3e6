import { z } from 'zod';

/** One documented field of the environment file. */
export interface FieldDoc {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue?: string;
  readonly description: string;
}

interface Unwrapped {
  schema: z.ZodTypeAny;
  optional: boolean;
  defaultValue?: unknown;
  description?: string;
}

function unwrap(schema: z.ZodTypeAny): Unwrapped {
  let optional = false;
  let defaultValue: unknown;
  let description = schema.description;
  for (;;) {
    description = description ?? schema.description;
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
      optional = true;
      schema = schema.unwrap();
    } else if (schema instanceof z.ZodDefault) {
      optional = true;
      defaultValue = schema._def.defaultValue();
      schema = schema._def.innerType;
    } else if (schema instanceof z.ZodEffects) {
      schema = schema.innerType();
    } else {
      return { schema, optional, defaultValue, description: description ?? schema.description };
    }
  }
}

function typeName(schema: z.ZodTypeAny): string {
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodNumber) return schema.isInt ? 'integer' : 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodEnum) return (schema.options as string[]).map((o) => `\`${o}\``).join(' \\| ');
  if (schema instanceof z.ZodLiteral) return `\`${String(schema.value)}\``;
  if (schema instanceof z.ZodArray) return `list of ${typeName(unwrap(schema.element).schema)}`;
  if (schema instanceof z.ZodRecord) return 'map';
  if (schema instanceof z.ZodObject) return 'object';
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodTypeAny[]).map((o) => typeName(unwrap(o).schema)).join(' or ');
  if (schema instanceof z.ZodDiscriminatedUnion) return `object by \`${schema.discriminator}\``;
  return 'any';
}

/** Flattens a zod object schema into documented fields (`a.b`, `list[].c`). */
export function describeSchema(schema: z.ZodTypeAny, prefix = ''): FieldDoc[] {
  const out: FieldDoc[] = [];
  const { schema: inner } = unwrap(schema);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    for (const option of inner.options as z.ZodObject<any>[]) {
      const tag = (option.shape[inner.discriminator] as z.ZodLiteral<string>).value;
      out.push(
        ...describeSchema(option, prefix).map((f) => ({ ...f, path: f.path.replace(prefix, `${prefix}`), description: `(${inner.discriminator}: ${tag}) ${f.description}` })),
      );
    }
    return out;
  }
  if (!(inner instanceof z.ZodObject)) return out;
  for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodTypeAny>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const u = unwrap(child);
    const documentedDefault = /@default\s+(.*)$/.exec(u.description ?? '')?.[1];
    const defaultValue = u.defaultValue !== undefined ? `\`${JSON.stringify(u.defaultValue)}\`` : documentedDefault;
    out.push({ path, type: typeName(u.schema), required: !u.optional, defaultValue, description: (u.description ?? '').replace(/\s*@default.*$/, '') });
    if (u.schema instanceof z.ZodObject || u.schema instanceof z.ZodDiscriminatedUnion) out.push(...describeSchema(u.schema, path));
    if (u.schema instanceof z.ZodArray) out.push(...describeSchema(u.schema.element, `${path}[]`));
  }
  return out;
}

/** The environment file reference as Markdown. */
export function environmentFileMarkdown(schema: z.ZodTypeAny): string {
  const rows = describeSchema(schema).map((f) => {
    const dflt = f.defaultValue === undefined ? '' : f.defaultValue.length <= 80 ? f.defaultValue : 'see schema';
    return `| \`${f.path}\` | ${f.type} | ${f.required ? 'yes' : ''} | ${dflt} | ${f.description.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`;
  });
  return [
    '# Environment file reference',
    '',
    'One YAML file per environment: `environments/<name>.yaml`. Generated from the schema',
    '(`config/schema.ts`, `config/sections/*.ts`) by `npm run docs:environment`; a test keeps it current.',
    'Cross-field rules (production strictness, cloud sections) are in `config/rules.ts` and the sections.',
    '',
    '| field | type | required | default | description |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
