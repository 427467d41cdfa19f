import OpenAPISchemaValidator from 'openapi-schema-validator';
import type { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { generatedFiles, ROOT } from './openapi.client';
import { controllersOf, previewOpenApiDocument } from './openapi.document';

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;
interface Operation {
  responses: Responses;
  requestBody?: unknown;
}

/** Every operation of the document, as "METHOD /path" with its object. */
const operationsOf = (document: OpenAPIObject): [string, Operation][] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      op,
    ]),
  );

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await previewOpenApiDocument();
  });

  it('is a valid OpenAPI 3 document', () => {
    const { errors } = new OpenAPISchemaValidator({ version: 3 }).validate(document as never);
    expect(errors).toEqual([]);
  });

  it('documents every field each route validates in its body, query and path', async () => {
    const undocumented: string[] = [];
    for (const controller of await controllersOf()) {
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const types: unknown[] = Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? [];
        for (const type of types) {
          if (typeof type !== 'function') continue;
          const validated = getMetadataStorage()
            .getTargetValidationMetadatas(type, '', true, false)
            .map((m) => m.propertyName);
          const documented: string[] = Reflect.getMetadata('swagger/apiModelPropertiesArray', type.prototype) ?? [];
          for (const field of new Set(validated)) {
            if (!documented.includes(`:${field}`))
              undocumented.push(`${controller.name}.${method}: ${type.name}.${field}`);
          }
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("describes every operation's answer: a schema for each success with a body, the one error shape for each refusal", () => {
    const undescribed = operationsOf(document).flatMap(([operation, { responses }]) => {
      const successes = Object.entries(responses).filter(([status]) => status.startsWith('2'));
      const missing = successes.length === 0 ? ['no success'] : [];
      for (const [status, response] of successes) {
        const schemas = Object.values(response.content ?? {}).map((c) => c.schema);
        if (status !== '204' && (schemas.length === 0 || schemas.includes(undefined))) missing.push(`${status} body`);
      }
      for (const [status, response] of Object.entries(responses)) {
        const schema = response.content?.['application/json']?.schema;
        if (status.startsWith('4') && JSON.stringify(schema) !== '{"$ref":"#/components/schemas/ErrorResponse"}') {
          missing.push(`${status} error shape`);
        }
      }
      return missing.map((what) => `${operation}: ${what}`);
    });
    expect(undescribed).toEqual([]);
  });

  it('is what the committed document and typed client were generated from (run `npm run openapi` after a change)', () => {
    for (const [file, text] of Object.entries(generatedFiles(document))) {
      expect({ file, text: readFileSync(join(ROOT, file), 'utf8') }).toEqual({ file, text });
    }
  });
});
