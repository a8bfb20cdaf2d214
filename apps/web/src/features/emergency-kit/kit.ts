// The Emergency Kit is made here, in the browser, because it holds the Secret Key: TOD's server never receives the
// key (only an SRP verifier), so nothing about the kit may be sent to it. The PDF is built in memory and handed
// to the user as a download; it is the only copy of the key outside the browser.
import { isoDate, wrapText } from './layout.js';
import { canonicalSecretKey, type KitDetails, kitQrPayload } from './payload.js';
import { A4, type Color, PdfDocument, type PdfPage, type Rect } from './pdf.js';
import { type QrMatrix, qrMatrix } from './qr.js';
import { textWidth, toPrintable, winAnsiByte } from './winansi.js';

export type { KitDetails, KitQrContent } from './payload.js';
export { canonicalSecretKey, kitFileName, kitQrPayload, parseKitQrPayload } from './payload.js';

export interface KitInput extends KitDetails {
  createdAt: Date;
  product?: 'TOD';
}

export class KitError extends Error {
  constructor(
    readonly code: 'missing_field' | 'too_long' | 'bad_secret_key' | 'bad_date',
    detail: string,
  ) {
    super(`Emergency Kit: ${detail}`);
    this.name = 'KitError';
  }
}

const MARGIN = 56;
const WIDTH = A4.width - MARGIN * 2;
const INK = 0.1;
const MUTED = 0.4;
const ACCENT: Color = [0.12, 0.33, 0.71];
/** Modules of white around the QR symbol: the standard's quiet zone, so scanners find its edges. */
export const QR_QUIET_ZONE = 4;
/** Width of the QR symbol including its quiet zone, in points (≈ 53 mm). */
export const QR_SIDE = 150;

function required(value: string, name: string, max: number): string {
  const v = value.trim();
  if (!v) throw new KitError('missing_field', `${name} is empty`);
  if (v.length > max) throw new KitError('too_long', `${name} is longer than ${max} characters`);
  return v;
}

/** Text for print: an international domain shows as its ASCII (punycode) form; other unprintables become '?'. */
function printableAddress(address: string): string {
  const plain = [...address].every((ch) => winAnsiByte(ch.codePointAt(0) ?? 0) !== null);
  if (plain) return address;
  try {
    return toPrintable(new URL(address).href);
  } catch {
    return toPrintable(address);
  }
}

export function emergencyKitPdf(input: KitInput): Uint8Array {
  const signInAddress = required(input.signInAddress, 'sign-in address', 200);
  const email = required(input.email, 'email', 254);
  const secretKey = canonicalSecretKey(input.secretKey);
  if (!secretKey) throw new KitError('bad_secret_key', 'not a Secret Key (A3-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX)');
  if (!(input.createdAt instanceof Date) || Number.isNaN(input.createdAt.getTime())) {
    throw new KitError('bad_date', 'createdAt is not a valid date');
  }
  const product = input.product ?? 'TOD';
  const date = isoDate(input.createdAt);
  // The QR code keeps the exact text; the printed copy may only show what the standard PDF fonts can.
  const matrix = qrMatrix(kitQrPayload({ signInAddress, email, secretKey }), 'M');

  const doc = new PdfDocument({ title: `${product} Emergency Kit`, producer: product, createdAt: input.createdAt });
  const page = doc.addPage();
  let top = 0; // distance from the top of the page, in points; PDF's y runs upwards
  const y = (t: number) => A4.height - t;
  const shownEmail = toPrintable(email);

  page.rect({ x: 0, y: y(10), width: A4.width, height: 10 }, { fill: ACCENT });
  top = 74;
  page.text(MARGIN, y(top), `${product} Emergency Kit`, { font: 'Helvetica-Bold', size: 26, color: INK });
  top += 22;
  page.text(MARGIN, y(top), fitOr(`Created ${date} for ${shownEmail}`, `Created ${date}`, 11), {
    size: 11,
    color: MUTED,
  });
  top += 14;
  page.line(MARGIN, y(top), MARGIN + WIDTH, y(top), { color: 0.8, width: 0.75 });

  top += 24;
  const paragraphs = [
    `This kit holds what you need to sign in to ${product} on a new browser or computer. Print it, or keep it somewhere safe and offline: anyone who has it and your password can sign in as you.`,
    'Signing in on a new browser needs both your Secret Key (below) and your password.',
    `${product} never receives your Secret Key or your password, so it cannot recover them for you. If you lose them, an administrator can reset your account and you will enrol again with a new kit.`,
  ];
  for (const p of paragraphs) {
    for (const line of wrapText(p, 'Helvetica', 10.5, WIDTH)) {
      page.text(MARGIN, y(top), line, { size: 10.5, color: INK });
      top += 14.5;
    }
    top += 5;
  }

  top += 14;
  top = field(page, top, 'SIGN-IN ADDRESS', printableAddress(signInAddress));
  top = field(page, top, 'EMAIL', shownEmail);

  label(page, top, 'SECRET KEY');
  top += 8;
  page.rect({ x: MARGIN, y: y(top + 40), width: WIDTH, height: 40 }, { fill: 0.94, stroke: 0.75, lineWidth: 0.75 });
  page.text(MARGIN + 14, y(top + 26.5), secretKey, { font: 'Courier', size: 19, color: 0 });
  top += 40 + 26;

  label(page, top, 'PASSWORD');
  top += 8;
  page.rect({ x: MARGIN, y: y(top + 44), width: WIDTH, height: 44 }, { stroke: 0.45, lineWidth: 1 });
  top += 44 + 13;
  page.text(MARGIN, y(top), 'Write your password here by hand, only if you keep this kit somewhere safe.', {
    size: 8.5,
    color: MUTED,
  });

  top += 22;
  drawQr(page, matrix, MARGIN, y(top));
  const textX = MARGIN + QR_SIDE + 18;
  let t = top + 4 * (QR_SIDE / (matrix.size + QR_QUIET_ZONE * 2)) + 10;
  page.text(textX, y(t), 'Scan to fill in the sign-in form', { font: 'Helvetica-Bold', size: 11.5, color: INK });
  t += 17;
  const qrText = `On a new browser, ${product}'s sign-in page can read this code from a photo or scan of this page. It holds your sign-in address, email and Secret Key \u2014 not your password.`;
  for (const line of wrapText(qrText, 'Helvetica', 10, WIDTH - QR_SIDE - 18)) {
    page.text(textX, y(t), line, { size: 10, color: INK });
    t += 14;
  }
  t += 8;
  page.text(textX, y(t), `Date created: ${date}`, { size: 10, color: MUTED });

  const foot = Math.max(top + QR_SIDE + 20, A4.height - 40);
  page.line(MARGIN, y(foot - 12), MARGIN + WIDTH, y(foot - 12), { color: 0.85, width: 0.5 });
  const footer = `${product} Emergency Kit  \u00b7  ${date}`;
  page.text(MARGIN, y(foot), fitOr(`${product} Emergency Kit  \u00b7  ${shownEmail}  \u00b7  ${date}`, footer, 8), {
    size: 8,
    color: MUTED,
  });
  return doc.toBytes();
}

/** `text` if it fits the line at `size`, else the shorter `fallback` (long emails are printed in full above). */
function fitOr(text: string, fallback: string, size: number): string {
  return textWidth(text, 'Helvetica', size) <= WIDTH ? text : fallback;
}

function label(page: PdfPage, top: number, text: string) {
  page.text(MARGIN, A4.height - top, text, { font: 'Helvetica-Bold', size: 8.5, color: MUTED });
}

/** A small caps label and its value below, wrapped when long. Returns the new top. */
function field(page: PdfPage, top: number, name: string, value: string): number {
  label(page, top, name);
  let t = top + 17;
  for (const line of wrapText(value, 'Helvetica', 13, WIDTH)) {
    page.text(MARGIN, A4.height - t, line, { size: 13, color: INK });
    t += 16;
  }
  return t + 14;
}

/**
 * Draws the symbol with its top-left corner (of the quiet zone) at (x, yTop). Dark modules in a row are merged
 * into one rectangle per run, so viewers show no hairline seams between neighbouring squares.
 */
function drawQr(page: PdfPage, m: QrMatrix, x: number, yTop: number) {
  const s = QR_SIDE / (m.size + QR_QUIET_ZONE * 2);
  const rects: Rect[] = [];
  for (let r = 0; r < m.size; r++) {
    const row = m.modules[r] ?? [];
    for (let c = 0; c < m.size; c++) {
      if (!row[c]) continue;
      let end = c;
      while (row[end + 1]) end++;
      rects.push({
        x: x + (QR_QUIET_ZONE + c) * s,
        y: yTop - (QR_QUIET_ZONE + r + 1) * s,
        width: (end - c + 1) * s,
        height: s,
      });
      c = end;
    }
  }
  page.fillRects(rects, 0);
}
