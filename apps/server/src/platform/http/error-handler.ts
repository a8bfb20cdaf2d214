import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { KmsError } from '../kms/provider.js';
import { AppError, type ErrorCode, type FieldError } from './errors.js';

type Body = { detail: string; code: ErrorCode; errors?: FieldError[] };

const fastifyCodes: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'request body is empty but declared as JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'content-length does not match the body'],
};

function validationErrors(err: FastifyError): FieldError[] {
  const where = (err as { validationContext?: string }).validationContext ?? 'body';
  return (err.validation ?? []).map((v) => ({
    path: [where, ...(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
    message: v.message ?? 'invalid',
  }));
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let status = 500;
    let body: Body = { detail: 'internal server error', code: 'internal_error' };
    if (err instanceof AppError) {
      status = err.status;
      body = { detail: err.message, code: err.code, ...(err.fields ? { errors: err.fields } : {}) };
    } else if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      status = 422;
      const errors = validationErrors(err);
      body = {
        detail: `validation failed: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`.slice(0, 1000),
        code: 'validation_failed',
        errors,
      };
    } else if (err.code && fastifyCodes[err.code]) {
      const [s, code, detail] = fastifyCodes[err.code]!;
      status = s;
      body = { detail, code };
    } else if (err instanceof KmsError && err.code.startsWith('provider_')) {
      // The provider's own words stay in the log: they may name paths or policies.
      status = 503;
      body = { detail: 'the key provider is unavailable; try again shortly', code: 'key_provider_unavailable' };
    } else if (err.statusCode === 429) {
      status = 429;
      body = { detail: 'too many requests; wait a minute and try again', code: 'rate_limited' };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      body = { detail: 'bad request', code: status === 404 ? 'not_found' : 'bad_request' };
    }
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.debug({ code: body.code }, 'request rejected');
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ detail: `no route ${req.method} ${req.url.split('?')[0]}`, code: 'not_found' }),
  );
}
