import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthFeature } from '../../src/features/health/health.feature.js';
import { features } from '../../src/features/index.js';
import { allPermissions, registerPermissions } from '../../src/platform/auth/permissions.js';
import { registerCatalogs } from '../../src/platform/feature/assemble.js';
import { defineFeature } from '../../src/platform/feature/feature.js';
import { AppError, errorCatalog, registerErrors } from '../../src/platform/http/errors.js';
import { createHttpServer } from '../../src/runtime/http.js';
import { createServices } from '../../src/runtime/services.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

const servicesWith = (list: Parameters<typeof createServices>[0]['features']) =>
  createServices({
    config: ctx.config,
    log: pino({ level: 'silent' }),
    appPool: ctx.pools.app,
    systemPool: ctx.pools.system,
    features: list,
  });

describe('features plug in at one place', () => {
  it('registers every feature permission and error code from the one list', () => {
    registerCatalogs(features);
    expect(allPermissions()).toEqual(expect.arrayContaining(['devices.read', 'users.update', 'demo.manage']));
    expect(errorCatalog().get('device_exists')).toEqual({ status: 409, owner: 'devices' });
    expect(new AppError('tenant_name_taken', 'x').status).toBe(409);
  });

  it('refuses a permission or an error code declared by two features', () => {
    expect(() => registerPermissions('intruder', { 'devices.read': 'viewer' })).toThrow(
      /devices\.read is declared by both devices and intruder/,
    );
    expect(() => registerErrors('intruder', { device_exists: 409 })).toThrow(/device_exists is declared by both/);
    expect(() => registerErrors('intruder', { not_found: 404 })).toThrow(/declared by both platform and intruder/);
  });

  it('refuses a feature listed twice', () => {
    expect(() => servicesWith([healthFeature, healthFeature])).toThrow(/feature health is listed twice/);
  });

  it('names the missing feature when a service is used before it is built', () => {
    const early = defineFeature({ name: 'early', service: ({ services }) => services.devices });
    expect(() => servicesWith([early, ...features])).toThrow(/service devices is not built yet/);
  });

  it('refuses to start when two features register the same route', async () => {
    const twin = defineFeature({ name: 'twin', routes: healthFeature.routes });
    const services = servicesWith([...features, twin]);
    await expect(
      createHttpServer({ config: ctx.config, log: pino({ level: 'silent' }), services, readiness: [] }),
    ).rejects.toThrow(/already declared|duplicate/i);
  });

  it('refuses an /api route without an access rule', async () => {
    const careless = defineFeature({
      name: 'careless',
      routes: (app) => {
        app.get('/api/careless', async () => ({}));
      },
    });
    const services = servicesWith([...features, careless]);
    await expect(
      createHttpServer({ config: ctx.config, log: pino({ level: 'silent' }), services, readiness: [] }),
    ).rejects.toThrow(/declares no access rule/);
  });
});
