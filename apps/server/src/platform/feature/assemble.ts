import { registerPermissions } from '../auth/permissions.js';
import type { LiveMessage } from '../bus/types.js';
import { checkLivePermissions, type LivePermissions, liveMessageOf } from '../events/live.js';
import type { DomainEvent, EventHandler } from '../events/types.js';
import { registerErrors } from '../http/errors.js';
import type { Schedule } from '../jobs/schedules.js';
import type { Feature, FeatureContext, FeatureContextOf, RoleName, Runner, ServiceRegistry } from './feature.js';

// biome-ignore lint/suspicious/noExplicitAny: each feature has its own service type
export type AnyFeature = Feature<any>;

/** Refuses a list that declares a feature name twice; permissions and error codes are checked as they register. */
function checkNames(features: readonly AnyFeature[]) {
  const seen = new Set<string>();
  for (const f of features) {
    if (seen.has(f.name)) throw new Error(`feature ${f.name} is listed twice`);
    seen.add(f.name);
  }
}

/** Registers every feature's permissions and error codes (refusing duplicates across features). */
export function registerCatalogs(features: readonly AnyFeature[]) {
  checkNames(features);
  for (const f of features) {
    if (f.permissions) registerPermissions(f.name, f.permissions);
    if (f.errors) registerErrors(f.name, f.errors);
  }
}

/** A services object that names the missing feature instead of answering undefined. */
function servicesProxy(built: Record<string, unknown>, names: Set<string>): ServiceRegistry {
  return new Proxy(built, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return target[key as string];
      if (key === 'then' || key === 'toJSON') return undefined;
      throw new Error(
        names.has(key)
          ? `service ${key} is not built yet: move its feature earlier in features/index.ts`
          : `no feature named ${key}`,
      );
    },
  }) as unknown as ServiceRegistry;
}

export type Assembly = {
  services: ServiceRegistry;
  features: readonly AnyFeature[];
  /** The context each feature's routes/schedules/runners receive. */
  contextOf: <S>(f: Feature<S>) => FeatureContextOf<S>;
  schedules: () => Schedule[];
  handlers: () => EventHandler[];
  /** Live message type → permission needed to receive it (SSE). */
  livePermissions: LivePermissions;
  /** The live message of a committed domain event, as the feature that declared its type wants it. */
  toLive: (e: DomainEvent) => LiveMessage | null;
  startRunners: (role: RoleName) => Promise<Array<{ name: string; stop: () => Promise<unknown> }>>;
  close: () => Promise<void>;
};

/** Builds every feature's service in list order and returns what the runtime needs to start the roles. */
export function assembleFeatures(features: readonly AnyFeature[], base: Omit<FeatureContext, 'services'>): Assembly {
  registerCatalogs(features);
  const built: Record<string, unknown> = {};
  const services = servicesProxy(built, new Set(features.map((f) => f.name)));
  const ctx: FeatureContext = { ...base, services };
  for (const f of features) if (f.service) built[f.name] = f.service(ctx);
  const live = features.flatMap((f) => Object.entries(f.live ?? {}).map(([type, spec]) => ({ type, ...spec })));
  const livePermissions: LivePermissions = Object.fromEntries(live.map((l) => [l.type, l.permission]));
  checkLivePermissions(livePermissions);
  const liveSchemas = Object.fromEntries(live.flatMap((l) => (l.schema ? [[l.type, l.schema]] : [])));
  const liveCoalesce = Object.fromEntries(live.flatMap((l) => (l.coalesce ? [[l.type, l.coalesce]] : [])));
  const matches = (pattern: string, type: string) =>
    pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
  const toLive = (e: DomainEvent) => {
    const spec = live.find((l) => l.events !== undefined && matches(l.events, e.type));
    return spec?.message ? spec.message(e) : liveMessageOf(e);
  };
  const contextOf = <S>(f: Feature<S>): FeatureContextOf<S> => ({
    ...ctx,
    service: built[f.name] as S,
    livePermissions,
    liveSchemas,
    liveCoalesce,
  });
  return {
    services,
    features,
    contextOf,
    schedules: () => features.flatMap((f) => f.schedules?.(contextOf(f)) ?? []),
    handlers: () => features.flatMap((f) => f.handlers?.(contextOf(f)) ?? []),
    livePermissions,
    toLive,
    async startRunners(role) {
      const out: Array<{ name: string; stop: () => Promise<unknown> }> = [];
      for (const f of features) {
        const start = f.runners?.[role];
        if (!start) continue;
        const r: Runner = await start(contextOf(f));
        out.push({ name: `${f.name}:${role}`, stop: r.stop });
      }
      return out;
    },
    async close() {
      for (const f of [...features].reverse()) if (f.close && f.name in built) await f.close(built[f.name]);
    },
  };
}
