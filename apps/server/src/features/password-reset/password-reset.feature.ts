import { defineFeature } from '../../platform/feature/feature.js';
import { createSmtpMailer, smtpSettingsFrom } from '../../platform/mail/mailer.js';
import { passwordResetRoutes } from './password-reset.routes.js';
import { createPasswordResetService, type PasswordResetService } from './password-reset.service.js';

const errors = { reset_link_invalid: 400, email_not_configured: 503 } as const;

declare module '../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof errors, true> {}
}
declare module '../../platform/feature/feature.js' {
  interface ServiceRegistry {
    passwordReset: PasswordResetService;
  }
}

export const passwordResetFeature = defineFeature({
  name: 'passwordReset',
  errors,
  service: ({ config, services, log }) => {
    const smtp = smtpSettingsFrom(config);
    const mailer = smtp ? createSmtpMailer(smtp, log) : undefined;
    const service = createPasswordResetService({
      auth: services.auth,
      mailer,
      baseUrl: config.APP_BASE_URL,
      minutes: config.PASSWORD_RESET_MINUTES,
      appName: config.APP_NAME,
      log,
    });
    // Mails in flight finish, then the SMTP connections close.
    return Object.assign(service, {
      async close() {
        await service.drain();
        mailer?.close();
      },
    });
  },
  routes: (app, { service, config }) =>
    passwordResetRoutes(app, service, {
      secureCookies: config.isProduction,
      ratePerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
    }),
  close: (service) => service.close(),
});
