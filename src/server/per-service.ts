// State a server keeps beside a CouncilsService rather than in it (caches, memos): one per service, made on first
// use, so two services in one process (tests, a process serving two stores) share nothing, and dropped with the
// service (a WeakMap holds it).
import type { CouncilsService } from './service.ts';

/** `make()`'s value for each service, made once per service on its first call. */
export function perService<T>(make: () => T): (service: CouncilsService) => T {
  const values = new WeakMap<CouncilsService, T>();
  return (service) => {
    if (!values.has(service)) values.set(service, make());
    return values.get(service)!;
  };
}
