import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The API's answers checked against its OpenAPI document (the committed one, which a unit test keeps
 * equal to what the code generates): every JSON answer a test receives from a documented operation must
 * be the documented shape for its status, with no field the document does not name, and every refusal (and
 * failure) the one error shape unless the document describes another. A test that reads an answer the document does not describe fails: code and document
 * cannot drift apart while the suite passes.
 */
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  operation: Operation;
}

type Schema = Record<string, unknown>;

/**
 * The document's schemas as ajv reads them: objects whose properties it lists are closed (an unlisted field
 * is drift), and OpenAPI 3.0's `nullable` admits null also beside an `allOf` (a nullable nested object, as
 * openapi-typescript reads it), where ajv's own reading of it does not.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)])) as Schema;
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  if (copy.nullable === true && copy.allOf) {
    const { nullable: _, ...rest } = copy;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  return copy;
}

class Contract {
  private readonly routes: Route[];
  private readonly components: Schema;
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: { paths: Record<string, Record<string, Operation>>; components: Schema }) {
    this.components = closed(document.components) as Schema;
    this.routes = Object.entries(document.paths)
      .flatMap(([template, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
          literals: template.split('/').filter((part) => !part.startsWith('{')).length,
          operation,
        })),
      )
      // "/devices/lost" before "/devices/{serialNumber}"
      .sort((a, b) => b.literals - a.literals);
  }

  /** Throws, naming the operation and the differences, when an answer is not what the document says. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
    const path = new URL(url).pathname;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return; // not an operation of the API (the portals, /docs, a deliberately unknown path)
    const operation = `${method} ${route.template} answered ${status}`;
    const documented = route.operation.responses[String(status)];
    if (status < 400 && !documented) throw new Error(`${operation}, which the OpenAPI document does not describe`);
    const media = contentType?.split(';')[0].trim() ?? '';
    const described = media.endsWith('json') ? documented?.content?.[media]?.schema : undefined;
    const schema = status >= 400 ? (described ?? { $ref: '#/components/schemas/ErrorResponse' }) : described;
    if (!schema) return;
    const validate = this.validatorOf(`${method} ${route.template} ${status} ${media}`, schema);
    if (!validate(body)) {
      const errors = validate.errors?.map(
        (e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
      );
      throw new Error(
        `${operation} with a body unlike its OpenAPI description:\n${errors?.join('\n')}\n${JSON.stringify(body)?.slice(0, 2000)}`,
      );
    }
  }

  private validatorOf(key: string, schema: object): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile({ ...(closed(schema) as Schema), components: this.components });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

let contract: Contract | undefined;

/** The committed OpenAPI document's contract, read once per test worker. */
export function apiContract(): Contract {
  contract ??= new Contract(JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')));
  return contract;
}
