import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../src/platform/config/env.js';

// Every setting TOD reads is a contract with operators: each must be documented in the README's configuration and in
// .env.example, so a new variable cannot land undocumented.
const repo = resolve(import.meta.dirname, '../../../..');
const names = Object.keys(envSchema.shape);

describe('configuration docs', () => {
  it.each([['README.md'], ['.env.example']])('%s names every variable of the environment schema', (file) => {
    const text = readFileSync(resolve(repo, file), 'utf8');
    expect(names.filter((n) => !new RegExp(`\\b${n}\\b`).test(text))).toEqual([]);
  });
});
