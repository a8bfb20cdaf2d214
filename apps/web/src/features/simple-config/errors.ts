import type { Operation } from '@/api/changes';
import { ApiError } from '@/api/errors';

// Where the server's refusals land: a 422 names each field (`body.form.static.gateway`), a form the device cannot
// take names one (`body.form.interface`), and an operation that failed planning says `interface: …` in its error.
// Paths here are the form's own (`static.gateway`, `radios.0.passphrase`); '' is the form as a whole.

export type FieldError = { path: string; message: string };

const FORM = 'body.form';

/** The field errors of an API error about the form (none for other errors). */
export function formErrors(e: unknown): FieldError[] {
  if (!(e instanceof ApiError)) return [];
  return e.fieldErrors
    .filter((x) => x.path === FORM || x.path.startsWith(`${FORM}.`))
    .map((x) => ({ path: x.path === FORM ? '' : x.path.slice(FORM.length + 1), message: x.message }));
}

/** An operation that failed because the device could not take the form: the field its planner named. */
export function operationErrors(op: Pick<Operation, 'status' | 'error'> | undefined): FieldError[] {
  if (op?.status !== 'failed' || op.error?.code !== 'invalid_simple_config') return [];
  const m = /^([\w.]+): (.+)$/s.exec(op.error.message);
  return m ? [{ path: m[1] as string, message: m[2] as string }] : [];
}

/** Errors no field of the tab shows (their path matches none of `shown`): listed above the form. */
export function unplaced(errors: FieldError[], shown: readonly RegExp[]): FieldError[] {
  return errors.filter((e) => !shown.some((r) => r.test(e.path)));
}

/** A path in words for the summary: `rules.1.external_port` → "rules 2 external port". */
export function pathWords(path: string): string {
  if (path === '') return 'The form';
  return path
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : p.replaceAll('_', ' ')))
    .join(' ');
}
