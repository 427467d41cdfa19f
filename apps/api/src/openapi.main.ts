import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles, ROOT } from './openapi.client';
import { previewOpenApiDocument } from './openapi.document';

// `npm run openapi`: writes the OpenAPI document and the typed client's types (no database needed).
async function main(): Promise<void> {
  for (const [file, text] of Object.entries(generatedFiles(await previewOpenApiDocument()))) {
    writeFileSync(join(ROOT, file), text);
    console.log(`wrote ${file}`);
  }
}

void main();
