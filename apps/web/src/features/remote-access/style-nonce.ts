import { getNonce } from 'get-nonce';

// TOD's CSP allows run-time <style> elements only with the page's nonce. xterm.js builds its renderer's style
// elements as the terminal opens and has no nonce option: while `fn` runs, style elements the document creates
// carry the nonce.
export function withStyleNonce<T>(fn: () => T): T {
  const nonce = getNonce();
  if (!nonce) return fn();
  const original = document.createElement;
  document.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    const el = original.call(this, tag, options);
    if (tag.toLowerCase() === 'style') el.setAttribute('nonce', nonce);
    return el;
  } as typeof document.createElement;
  try {
    return fn();
  } finally {
    document.createElement = original;
  }
}
