// A `template_invalid` problem's path names the device and the variable that did not render.

/** A `template_invalid` path, `device:<id>.<variable>`, taken apart. */
export function renderProblemPath(path: string): { deviceId?: string; variable?: string } {
  const m = /^device:([^.]+)(?:\.(.+))?$/.exec(path);
  if (!m) return {};
  return { ...(m[1] ? { deviceId: m[1] } : {}), ...(m[2] ? { variable: m[2] } : {}) };
}
