// The typed client's types from an OpenAPI document (read from stdin), with openapi-typescript.
// A script of its own because openapi-typescript is an ES module, which the tests' runtime cannot load.
import openapiTS, { astToString } from 'openapi-typescript';

let input = '';
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(astToString(await openapiTS(JSON.parse(input))));
