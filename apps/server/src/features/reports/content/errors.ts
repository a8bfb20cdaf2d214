// The error codes the report content raises. The reports feature registers them (`errors` in reports.feature.ts,
// spread from here), so a report request that names an unknown device answers 404 `report_device_not_found`.

export const reportContentErrors = {
  /** The device of a device report is not in the organisation. */
  report_device_not_found: 404,
  /** The site that scopes a report is not in the organisation. */
  report_site_not_found: 404,
  /** `from` is not before `to`, or the period is longer than 366 days. */
  report_period_invalid: 422,
} as const;

declare module '../../../platform/http/errors.js' {
  interface ErrorCodeTable extends Record<keyof typeof reportContentErrors, true> {}
}
