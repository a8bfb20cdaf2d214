import jsQRImport from 'jsqr';
import { encode } from 'uqr';

// QR codes for the Emergency Kit: made with uqr (a boolean matrix we draw ourselves), read with jsqr from RGBA pixels.

export class QrError extends Error {
  constructor(
    readonly code: 'too_long' | 'bad_image',
    detail: string,
  ) {
    super(`QR: ${detail}`);
    this.name = 'QrError';
  }
}

/** The modules of a QR symbol, without its quiet zone: `modules[row][col]`, true = dark. */
export interface QrMatrix {
  size: number;
  modules: boolean[][];
}

export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

// jsqr is a CommonJS bundle: depending on the bundler's interop its default import is the function itself or an
// object holding it as `default`.
type JsQr = typeof jsQRImport;
const jsQR: JsQr = typeof jsQRImport === 'function' ? jsQRImport : (jsQRImport as unknown as { default: JsQr }).default;

/** Error correction M survives ~15% damage (a fold, a smudge) and keeps the symbol small enough to print crisply. */
export function qrMatrix(text: string, ecc: 'M' | 'Q' = 'M'): QrMatrix {
  try {
    const qr = encode(text, { ecc, border: 0 });
    return { size: qr.size, modules: qr.data.map((row) => row.slice()) };
  } catch (e) {
    throw new QrError('too_long', `text does not fit in a QR code (${(e as Error).message})`);
  }
}

/** Draws a matrix as RGBA pixels: `scale` pixels per module and a white quiet zone of `quiet` modules. */
export function qrToImageData(
  m: QrMatrix,
  scale = 4,
  quiet = 4,
): { data: Uint8ClampedArray; width: number; height: number } {
  const width = (m.size + quiet * 2) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (!m.modules[r]?.[c]) continue;
      for (let y = 0; y < scale; y++) {
        const row = ((r + quiet) * scale + y) * width;
        for (let x = 0; x < scale; x++)
          data.fill(0, (row + (c + quiet) * scale + x) * 4, (row + (c + quiet) * scale + x) * 4 + 3);
      }
    }
  }
  return { data, width, height: width };
}

/** Decodes the first QR code found in RGBA pixels; null when there is none (or it cannot be read). */
export function readQrFromImageData(img: RgbaImage): string | null {
  const { width, height } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new QrError('bad_image', `bad image size ${width}×${height}`);
  }
  if (img.data.length !== width * height * 4) {
    throw new QrError('bad_image', `expected ${width * height * 4} bytes of RGBA, got ${img.data.length}`);
  }
  const data =
    img.data instanceof Uint8ClampedArray
      ? img.data
      : new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length);
  return jsQR(data, width, height)?.data ?? null;
}

// Phone photos can be 12+ megapixels; jsqr is slow on those and a kit's QR code is large, so scale down first.
const MAX_SIDE = 1600;

/** Browser only: decodes a QR code in an image file (a photo or scan of the kit). Null when none is found. */
export async function readQrFromFile(file: Blob): Promise<string | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new QrError('bad_image', 'the file is not an image this browser can read');
  }
  const k = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * k));
  const h = Math.max(1, Math.round(bitmap.height * k));
  const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(w, h) : makeCanvas(w, h);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new QrError('bad_image', 'no 2D canvas available');
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  return readQrFromImageData(ctx.getImageData(0, 0, w, h));
}

function makeCanvas(w: number, h: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}
