import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { Permission, PermissionDefs } from '../auth/permissions.js';
import type { Bus, LiveMessage } from '../bus/types.js';
import type { Config } from '../config/config.js';
import type { DomainEvent, EventHandler } from '../events/types.js';
import type { ErrorDefs } from '../http/errors.js';
import type { Schedule } from '../jobs/schedules.js';
import type { Envelope } from '../kms/envelope.js';
import type { ReadinessCheck } from '../readiness.js';

// A feature is one folder under src/features and one definition (its <f>.feature.ts) in the list in
// src/features/index.ts. The runtime assembles everything from that list: permissions, error codes, services,
// routes, schedules and background roles. Nothing else needs editing to add a feature.

/** Feature name → its service. Each feature adds its own entry by declaration merging. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in every feature
export interface ServiceRegistry {}

export type RoleName = 'api' | 'poller' | 'worker';

/** What every feature may use to build its service. */
export type FeatureContext = {
  config: Config;
  log: Logger;
  /** `read`: read-only app connections for readInTenant (platform/db/tx.ts), or `app` when the caller has none. */
  pools: { app: pg.Pool; system: pg.Pool; owner?: pg.Pool; read: pg.Pool };
  bus: Bus;
  envelope: Envelope;
  registry: Registry;
  redis?: Redis;
  /** TOD's version, and what /health/ready checks. */
  version: string;
  readiness: ReadinessCheck[];
  /** Command-line switches of `tod start` (e.g. --demo). */
  flags: { demo?: boolean };
  /** The services of features earlier in the list (asking for a later one throws, naming both). */
  services: ServiceRegistry;
};

export type FeatureContextOf<S> = FeatureContext & {
  service: S;
  /** Live message type → permission, from every feature's `live` (the SSE stream filters by it). */
  livePermissions: Readonly<Record<string, Permission>>;
  /** Live message type → the key its messages coalesce by (the SSE hub keeps the latest per key per flush). */
  liveCoalesce: Readonly<Record<string, (msg: LiveMessage) => string | undefined>>;
  /** Live message type → schema of its data, for the types that declare one. */
  liveSchemas: Readonly<Record<string, z.ZodType>>;
};

/** Something a feature runs in the background of a role (the poller loop, ingest). */
export type Runner = { stop: () => Promise<unknown> };

export type Feature<S = unknown> = {
  /** Also the key of its service in `services`. */
  name: string;
  /** Permission name → minimum role. Also add the names to `PermissionTable` (declaration merging). */
  permissions?: PermissionDefs;
  /** Error code → HTTP status. Also add them to `ErrorCodeTable`. */
  errors?: ErrorDefs;
  service?: (ctx: FeatureContext) => S;
  /** The feature's HTTP routes, registered in the api role. Routes under /api must declare `config.access`. */
  routes?: (app: FastifyInstance, ctx: FeatureContextOf<S>) => void | Promise<void>;
  /** Exactly-once schedules, run by the worker role. */
  schedules?: (ctx: FeatureContextOf<S>) => Schedule[];
  /** Long-running parts started in a role (e.g. the poller loop), stopped in reverse order. */
  runners?: Partial<Record<RoleName, (ctx: FeatureContextOf<S>) => Promise<Runner>>>;
  /** Reactions to domain events, run once each by the worker role (platform/events). */
  handlers?: (ctx: FeatureContextOf<S>) => EventHandler[];
  /**
   * Live (SSE) messages this feature sends, by message type: the permission a subscriber needs, and for domain
   * events whose type starts with `events` (a type, or a prefix ending in `*`), the message to send instead of the
   * default one, and the schema of the message's data (documented on the stream route, typed in the web client).
   * A message type nobody declares is never sent.
   */
  live?: Record<
    string,
    {
      permission: Permission;
      events?: string;
      message?: (e: DomainEvent) => LiveMessage | null;
      schema?: z.ZodType;
      /**
       * Messages of this type with the same key (e.g. the device) within one live flush (a second) replace one
       * another: only the latest is sent. A type without it has every message sent.
       */
      coalesce?: (msg: LiveMessage) => string | undefined;
    }
  >;
  /** Called when the process stops, after the roles (mails in flight, simulated routers). */
  close?: (service: S) => Promise<void>;
};

/** Identity function that types a feature definition. */
export const defineFeature = <S>(f: Feature<S>): Feature<S> => f;
