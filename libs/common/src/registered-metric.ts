import { register } from 'prom-client';

/** A Prometheus metric registered once per process, however many apps (tests, workers) build the module. */
export const registeredMetric = <T>(name: string, make: () => T): T =>
  (register.getSingleMetric(name) as T | undefined) ?? make();
