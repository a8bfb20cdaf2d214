import { defineFeature } from '../../platform/feature/feature.js';
import { healthRoutes } from './health.routes.js';

const errors = { not_ready: 503 } as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}

/** /health (liveness), /health/ready and /api/health. */
export const healthFeature = defineFeature({
  name: 'health',
  errors,
  routes: (app, { version, config, readiness }) =>
    healthRoutes(app, { version, environment: config.ENVIRONMENT, checks: readiness }),
});
