import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './api.schema';

/** The API's operations, generated from its OpenAPI document (`npm run openapi`). */
export type ApiPaths = paths;
/** The API's request and response bodies by name (`ApiSchemas['ProviderDeviceResponse']`). */
export type ApiSchemas = components['schemas'];
export type ApiClient = Client<paths>;

/** The API's typed client: paths, parameters, bodies and answers checked by the compiler against the document. */
export const createApiClient = (options: ClientOptions): ApiClient => createClient<paths>(options);
