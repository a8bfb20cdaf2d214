import fc from 'fast-check';
import jsQRImport from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalSecretKey,
  emergencyKitPdf,
  KitError,
  kitFileName,
  kitQrPayload,
  parseKitQrPayload,
} from '../src/features/emergency-kit/kit';
import { A4, literal, PdfDocument, PdfError } from '../src/features/emergency-kit/pdf';
import { QrError, qrMatrix, qrToImageData, readQrFromImageData } from '../src/features/emergency-kit/qr';

const jsQR = typeof jsQRImport === 'function' ? jsQRImport : (jsQRImport as { default: typeof jsQRImport }).default;
const KEY = 'A3-000G40-R40M3-0E209-185GR-38E1W'; // docs/AUTH.md: bytes 00 01 … 0f
const INPUT = {
  signInAddress: 'https://tod.example.com',
  email: 'jane.doe@example.com',
  secretKey: KEY,
  createdAt: new Date(2025, 0, 2, 12, 30), // local noon: the same calendar date in every time zone setting
};

// --- A minimal PDF reader written for these tests: enough to check structure, text and filled shapes. ---

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

interface Parsed {
  text: string;
  objects: Map<number, string>;
  streams: string[];
}

function parsePdf(bytes: Uint8Array): Parsed {
  const s = latin1(bytes);
  expect(s.startsWith('%PDF-1.7\n')).toBe(true);
  expect(s.endsWith('%%EOF\n')).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(s)?.[1]);
  expect(s.slice(startxref, startxref + 5)).toBe('xref\n');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(s.slice(startxref)) ?? [];
  expect(Number(first)).toBe(0);
  const size = Number(count);
  expect(new RegExp(`trailer\\n<< /Size ${size} /Root 1 0 R`).test(s)).toBe(true);
  const table = s.slice(startxref + `xref\n0 ${size}\n`.length);
  const objects = new Map<number, string>();
  for (let id = 0; id < size; id++) {
    const entry = table.slice(id * 20, id * 20 + 20); // every xref entry is exactly 20 bytes
    expect(entry).toMatch(/^\d{10} \d{5} [nf] \n$/);
    if (id === 0) continue;
    const offset = Number(entry.slice(0, 10));
    expect(s.slice(offset, offset + `${id} 0 obj\n`.length)).toBe(`${id} 0 obj\n`);
    const end = s.indexOf('\nendobj\n', offset);
    objects.set(id, s.slice(offset + `${id} 0 obj\n`.length, end));
  }
  expect((s.match(/\d+ 0 obj\n/g) ?? []).length).toBe(size - 1);
  const streams: string[] = [];
  for (const body of objects.values()) {
    const m = /^<< \/Length (\d+) >>\nstream\n/.exec(body);
    if (!m) continue;
    const start = m[0].length;
    const length = Number(m[1]);
    expect(body.slice(start + length)).toBe('endstream'); // /Length is exact
    streams.push(body.slice(start, start + length));
  }
  return { text: streams.map(shownText).join('\n'), objects, streams };
}

/** Content-stream tokens: literal strings stay whole (unescaped), everything else splits at whitespace. */
function tokens(stream: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < stream.length) {
    const c = stream.charAt(i);
    if (/\s/.test(c)) i++;
    else if (c === '(') {
      let str = '';
      for (i++; stream.charAt(i) !== ')'; i++) str += stream.charAt(i) === '\\' ? stream.charAt(++i) : stream.charAt(i);
      out.push(`(${str}`);
      i++;
    } else {
      let t = '';
      while (i < stream.length && !/[\s(]/.test(stream.charAt(i))) t += stream.charAt(i++);
      out.push(t);
    }
  }
  return out;
}

function shownText(stream: string): string {
  return tokens(stream)
    .filter((t, i, all) => t.startsWith('(') && all[i + 1] === 'Tj')
    .map((t) => t.slice(1))
    .join('\n');
}

interface Fill {
  x: number;
  y: number;
  w: number;
  h: number;
  gray: number;
}

/** Runs the graphics operators that paint areas (q Q g rg re f B) and returns every filled rectangle. */
function filledRects(stream: string): Fill[] {
  const fills: Fill[] = [];
  const stack: number[] = [];
  let gray = 0;
  let path: Omit<Fill, 'gray'>[] = [];
  let args: number[] = [];
  for (const t of tokens(stream)) {
    if (/^-?[\d.]+$/.test(t)) {
      args.push(Number(t));
      continue;
    }
    if (t === 'q') stack.push(gray);
    else if (t === 'Q') gray = stack.pop() ?? 0;
    else if (t === 'g') gray = args[0] ?? 0;
    else if (t === 'rg') gray = 0.299 * (args[0] ?? 0) + 0.587 * (args[1] ?? 0) + 0.114 * (args[2] ?? 0);
    else if (t === 're') path.push({ x: args[0] ?? 0, y: args[1] ?? 0, w: args[2] ?? 0, h: args[3] ?? 0 });
    else if (t === 'f' || t === 'B') {
      for (const r of path) fills.push({ ...r, gray });
      path = [];
    } else if (t === 'S' || t === 'n') path = [];
    args = [];
  }
  return fills;
}

/** Paints filled rectangles onto a white RGBA page at `scale` pixels per point (top row = top of the page). */
function rasterise(fills: Fill[], scale: number) {
  const width = Math.ceil(A4.width * scale);
  const height = Math.ceil(A4.height * scale);
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const f of fills) {
    const v = Math.round(f.gray * 255);
    const x0 = Math.round(f.x * scale);
    const x1 = Math.round((f.x + f.w) * scale);
    const y0 = Math.round((A4.height - f.y - f.h) * scale);
    const y1 = Math.round((A4.height - f.y) * scale);
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++)
        data.fill(v, (y * width + x) * 4, (y * width + x) * 4 + 3);
    }
  }
  return { data, width, height };
}

/** Rebuilds the QR matrix from the black squares of the content stream (the one path with many rectangles). */
function qrFromSquares(fills: Fill[]): boolean[][] {
  const dark = fills.filter((f) => f.gray === 0 && f.h < 10);
  const s = Math.min(...dark.map((f) => f.h));
  const left = Math.min(...dark.map((f) => f.x));
  const top = Math.max(...dark.map((f) => f.y + f.h));
  const size = Math.round((Math.max(...dark.map((f) => f.x + f.w)) - left) / s);
  const m = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const f of dark) {
    const row = Math.round((top - f.y - f.h) / s);
    const col = Math.round((f.x - left) / s);
    for (let c = col; c < col + Math.round(f.w / s); c++) (m[row] as boolean[])[c] = true;
  }
  return m;
}

// --- Tests ---

describe('PDF writer', () => {
  it('writes a structurally valid file: header, objects at their xref offsets, exact stream lengths, one page', () => {
    const doc = new PdfDocument({ title: 'Tëst ✓', createdAt: new Date(Date.UTC(2025, 5, 7, 8, 9, 10)) });
    doc.addPage().text(50, 700, 'Hello (world) \\ back', { font: 'Courier', size: 14 }).line(0, 0, 10, 10);
    const pdf = parsePdf(doc.toBytes());
    expect(pdf.text).toBe('Hello (world) \\ back');
    expect([...pdf.objects.values()].filter((o) => /\/Type \/Page\b(?!s)/.test(o))).toHaveLength(1);
    expect(pdf.objects.get(3)).toContain('/CreationDate (D:20250607080910Z)');
    expect(pdf.streams[0]).toContain('(Hello \\(world\\) \\\\ back) Tj');
  });

  it('encodes Latin-1 and WinAnsi extras as single bytes and refuses other characters with a typed error', () => {
    expect(literal('café – €')).toBe('(caf\xe9 \x96 \x80)');
    expect(() => literal('漢字')).toThrow(PdfError);
    expect(() => literal('line\nbreak')).toThrow(/U\+000A/);
    expect(() => new PdfDocument().addPage().text(Number.NaN, 0, 'x')).toThrow(PdfError);
  });
});

describe('Emergency Kit PDF', () => {
  let bytes: Uint8Array;
  let pdf: Parsed;
  let fills: Fill[];
  // In a hook, not the describe body, so a broken file fails the tests by name instead of the whole collection.
  beforeAll(() => {
    bytes = emergencyKitPdf(INPUT);
    pdf = parsePdf(bytes);
    fills = filledRects(pdf.streams[0] ?? '');
  });

  it('is one A4 page whose text holds the title, address, email, Secret Key, date and the password box label', () => {
    expect([...pdf.objects.values()].filter((o) => /\/Type \/Page\b(?!s)/.test(o))).toHaveLength(1);
    expect(pdf.objects.get(7)).toContain('/MediaBox [0 0 595.28 841.89]');
    for (const s of [
      'TOD Emergency Kit',
      INPUT.signInAddress,
      INPUT.email,
      KEY,
      '2025-01-02',
      'PASSWORD',
      'SECRET KEY',
    ]) {
      expect(pdf.text).toContain(s);
    }
    expect(pdf.text).toMatch(/cannot recover/);
    expect(pdf.streams[0]).toContain(`/F3 19 Tf`); // the key is set in Courier
    expect(latin1(bytes)).not.toMatch(/\/Filter/); // content is uncompressed, hence searchable
  });

  it('draws a QR code whose squares rebuild exactly the matrix of the kit payload', () => {
    const rebuilt = qrFromSquares(fills);
    expect(rebuilt).toEqual(qrMatrix(kitQrPayload(INPUT), 'M').modules);
  });

  it('the printed page scans: the whole page rasterised from its fills decodes to the kit payload', () => {
    const page = rasterise(fills, 2);
    const text = readQrFromImageData(page);
    expect(text).toBe(kitQrPayload(INPUT));
    expect(parseKitQrPayload(text ?? '')).toEqual({
      signInAddress: INPUT.signInAddress,
      email: INPUT.email,
      secretKey: KEY,
    });
  });

  it('is deterministic for the same input', () => {
    expect(Buffer.from(emergencyKitPdf(INPUT)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps long values on the page and carries non-Latin text exactly in the QR code', () => {
    const long = {
      ...INPUT,
      email: `${'very.long.local.part.'.repeat(8)}李@an-extremely-long-subdomain-name.example.com`,
      signInAddress: `https://tod.${'region-'.repeat(20)}example.com/sign-in`,
      secretKey: KEY.toLowerCase().replace(/-/g, ' '), // any accepted spelling is printed canonically
    };
    const p = parsePdf(emergencyKitPdf(long));
    expect(p.text).toContain(KEY);
    expect(p.text).toContain('part.?@an-extr'); // 李 cannot be printed in WinAnsi: shown as '?'
    for (const [, x, y] of (p.streams[0] ?? '').matchAll(/([\d.]+) ([\d.]+) Td/g)) {
      expect(Number(x)).toBeGreaterThanOrEqual(56);
      expect(Number(y)).toBeGreaterThan(20);
      expect(Number(y)).toBeLessThan(A4.height);
    }
    const decoded = readQrFromImageData(rasterise(filledRects(p.streams[0] ?? ''), 3));
    expect(parseKitQrPayload(decoded ?? '')?.email).toBe(long.email);
  });

  it('rejects bad input with KitError codes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(KitError);
        return (e as KitError).code;
      }
      return 'no error';
    };
    expect(code(() => emergencyKitPdf({ ...INPUT, secretKey: 'A3-000G40-R40M3-0E209-185GR-38E1X' }))).toBe(
      'bad_secret_key',
    );
    expect(code(() => emergencyKitPdf({ ...INPUT, email: '  ' }))).toBe('missing_field');
    expect(code(() => emergencyKitPdf({ ...INPUT, email: `${'x'.repeat(250)}@example.com` }))).toBe('too_long');
    expect(code(() => emergencyKitPdf({ ...INPUT, createdAt: new Date('nope') }))).toBe('bad_date');
  });
});

describe('QR codes', () => {
  it('round-trips the kit payload through pixels (scale 4, quiet zone 4)', () => {
    const payload = kitQrPayload(INPUT);
    expect(payload.startsWith('tod-kit:1?')).toBe(true);
    expect(readQrFromImageData(qrToImageData(qrMatrix(payload), 4, 4))).toBe(payload);
    expect(readQrFromImageData(qrToImageData(qrMatrix(payload, 'Q'), 4, 4))).toBe(payload);
  });

  it('round-trips arbitrary kit details, including Unicode', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (u, e) => {
        const details = {
          signInAddress: `https://${u.trim() || 'x'}`,
          email: `${e.trim() || 'y'}@example.com`,
          secretKey: KEY,
        };
        const payload = kitQrPayload(details);
        const img = qrToImageData(qrMatrix(payload), 3, 4);
        expect(parseKitQrPayload(readQrFromImageData(img) ?? '')).toEqual(details);
      }),
      { numRuns: 15 },
    );
  });

  it('finds nothing in a blank image and refuses malformed pixel buffers', () => {
    expect(
      readQrFromImageData({ data: new Uint8ClampedArray(64 * 64 * 4).fill(255), width: 64, height: 64 }),
    ).toBeNull();
    expect(() => readQrFromImageData({ data: new Uint8ClampedArray(10), width: 64, height: 64 })).toThrow(QrError);
    expect(() => readQrFromImageData({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).toThrow(QrError);
    expect(() => qrMatrix('x'.repeat(5000))).toThrow(QrError);
  });

  it('our pixel renderer agrees with jsqr directly (not only through our wrapper)', () => {
    const img = qrToImageData(qrMatrix('hello'), 4, 4);
    expect(jsQR(img.data, img.width, img.height)?.data).toBe('hello');
  });
});

describe('kit payload and Secret Key text', () => {
  /** Independent encoder (docs/AUTH.md): 128 bits + 2 zero bits, Crockford base32, grouped 6-5-5-5-5. */
  function formatKey(bytes: Uint8Array): string {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('') + '00';
    let s = '';
    for (; bits; bits = bits.slice(5)) s += alphabet[Number.parseInt(bits.slice(0, 5), 2)];
    return `A3-${s.slice(0, 6)}-${s.slice(6, 11)}-${s.slice(11, 16)}-${s.slice(16, 21)}-${s.slice(21)}`;
  }

  it('reads any accepted spelling of a Secret Key back to its canonical form', () => {
    expect(formatKey(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe(KEY);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (bytes, prefix) => {
        const key = formatKey(bytes);
        const typed = (prefix ? key : key.slice(3))
          .toLowerCase()
          .replace(/-/g, ' ')
          .replace(/0/g, 'o')
          .replace(/1/g, 'l');
        expect(canonicalSecretKey(typed)).toBe(key);
        expect(parseKitQrPayload(`  ${typed}\n`)).toEqual({ signInAddress: null, email: null, secretKey: key });
      }),
    );
  });

  it('rejects what is not a key or not a version-1 kit payload', () => {
    for (const bad of [
      '',
      'hello',
      KEY.slice(0, -1),
      `${KEY}0`,
      KEY.replace('W', 'X'),
      KEY.replace('G', 'U'),
      'x'.repeat(100),
    ]) {
      expect(parseKitQrPayload(bad)).toBeNull();
    }
    expect(parseKitQrPayload(kitQrPayload(INPUT).replace('tod-kit:1?', 'tod-kit:2?'))).toBeNull();
    expect(parseKitQrPayload('tod-kit:1?u=https%3A%2F%2Fa&e=b%40c')).toBeNull(); // no key
    expect(parseKitQrPayload(`tod-kit:1?u=&e=b%40c&k=${KEY}`)).toBeNull(); // empty address
  });

  it('names the file after the email with only file-system-safe characters', () => {
    expect(kitFileName('Jane.Doe+tod@Example.com')).toBe('TOD-Emergency-Kit-jane.doe+tod@example.com.pdf');
    expect(kitFileName('../../etc/passwd')).toBe('TOD-Emergency-Kit-etc_passwd.pdf');
    expect(kitFileName('a:b*c?"<>|\\d@e')).toBe('TOD-Emergency-Kit-a_b_c_d@e.pdf');
    expect(kitFileName('  ')).toBe('TOD-Emergency-Kit-account.pdf');
  });
});
