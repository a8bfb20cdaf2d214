import { defineFeature } from '../../platform/feature/feature.js';
import { credentialProfilesRoutes } from './credential-profiles.routes.js';
import { type CredentialProfilesService, createCredentialProfilesService } from './credential-profiles.service.js';

const permissions = {
  'credential_profiles.read': 'operator',
  'credential_profiles.write': 'operator',
  'credential_profiles.delete': 'admin',
} as const;

declare module '../../platform/auth/permissions.js' {
  interface PermissionTable extends Record<keyof typeof permissions, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    credentialProfiles: CredentialProfilesService;
  }
}

export const credentialProfilesFeature = defineFeature({
  name: 'credentialProfiles',
  permissions,
  service: ({ pools, envelope }) => createCredentialProfilesService({ appPool: pools.app, envelope }),
  routes: (app, { service }) => credentialProfilesRoutes(app, service),
});
