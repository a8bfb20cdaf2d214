// One error type for everything a template can get wrong, with stable codes the API reports per device.

export const templateErrorCodes = [
  /** The template text does not parse (Liquid syntax), or uses a tag templates may not use (include, render). */
  'template_syntax',
  /** Rendering failed: a filter was given a value it cannot handle, a type mismatch. */
  'template_render',
  /** A bound was hit: template size, output size, loop iterations, memory or render time. */
  'template_limit',
  /** The template reads a variable (or a device property) that does not exist. */
  'variable_undefined',
  /** The rendered text is not RouterOS script the parser reads. */
  'template_output',
] as const;
export type TemplateErrorCode = (typeof templateErrorCodes)[number];

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    /** 1-based line in the template (or, for template_output, in the rendered text). */
    readonly line?: number,
    /** For variable_undefined: the path read, e.g. `ssid` or `device.nmae`. */
    readonly variable?: string,
  ) {
    super(message);
  }

  /** Plain form for API replies. */
  toJSON(): { code: TemplateErrorCode; message: string; line?: number; variable?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.line === undefined ? {} : { line: this.line }),
      ...(this.variable === undefined ? {} : { variable: this.variable }),
    };
  }
}
