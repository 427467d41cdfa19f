import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorResponse } from '@poc/common';
import { AppModule } from './app.module';

type Operation = OpenAPIObject['paths'][string]['get'] & object;

const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };

/** The API's OpenAPI document, generated from the controllers and their DTOs (served at /docs-json). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('POC telemetry backend')
      .setDescription('Portable oxygen concentrator telemetry: devices, consent, provider and internal views')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ErrorResponse] },
  );
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as Operation[]) withErrorResponses(operation);
  }
  return document;
}

/**
 * Every refusal (and a failure not described otherwise) has the one error shape; an operation that takes input can refuse it (400), and one
 * with a path parameter can name what is not there, or not visible to the caller (404).
 */
function withErrorResponses(operation: Operation): void {
  const parameters = (operation.parameters ?? []) as { in?: string }[];
  if (parameters.length > 0 || operation.requestBody) {
    operation.responses['400'] ??= { description: 'The request is invalid: what is wrong, field by field' };
  }
  if (parameters.some((p) => p.in === 'path')) {
    operation.responses['404'] ??= { description: 'Not found, or not visible to the caller' };
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    const described = (response as ResponseObject).content !== undefined;
    if (status.startsWith('4') || (status.startsWith('5') && !described)) {
      operation.responses[status] = { ...(response as ResponseObject), content: ERROR };
    }
  }
}

/** The app's modules wired without a database or a listening server (Nest's preview mode). */
async function withPreviewApp<T>(work: (app: INestApplication) => T): Promise<T> {
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
    ADMIN_PASSWORD: 'preview-only',
  };
  const app = await NestFactory.create(AppModule.forRoot(env), { preview: true, logger: false, abortOnError: false });
  try {
    return work(app);
  } finally {
    await app.close();
  }
}

/** The same document, without a database: for the typed client and its drift test. */
export const previewOpenApiDocument = (): Promise<OpenAPIObject> => withPreviewApp(openApiDocument);

/** Every controller class of the app. */
export const controllersOf = (): Promise<Type[]> =>
  withPreviewApp((app) =>
    [...app.get(ModulesContainer).values()].flatMap((module) =>
      [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type),
    ),
  );
