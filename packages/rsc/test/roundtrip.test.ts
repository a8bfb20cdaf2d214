import { describe, expect, it } from 'vitest';
import { exportFiles, readExport } from '../../../fixtures/index.js';
import { type ExportDocument, parseExport, serializeExport } from '../src/index.js';

/** The tree without source positions/style, which legitimately differ after re-serialising. */
function tree(doc: ExportDocument): unknown {
  return JSON.parse(JSON.stringify(doc, (k, v) => (k === 'line' || k === 'style' ? undefined : v)));
}

describe('every fixture round-trips', () => {
  for (const file of exportFiles()) {
    for (const style of ['compact', 'terse'] as const) {
      it(`${file} via ${style}`, () => {
        const doc = parseExport(readExport(file));
        expect(doc.sections.length).toBeGreaterThan(0);
        const again = parseExport(serializeExport(doc, { style }));
        expect(tree(again)).toEqual(tree(doc));
      });
    }
  }
});
