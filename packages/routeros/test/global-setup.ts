// Once per run: the TLS test certificates (a CA and router certificates, made with openssl), provided to every
// test file of the project, removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeCerts } from './helpers/certs.js';

export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tod-routeros-tls-'));
  project.provide('routerosCerts', makeCerts(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
