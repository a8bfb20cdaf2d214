// The large install's compose file (deploy/compose.yaml) and its env file example, checked without a Docker engine:
// the Compose Specification's JSON schema through dclint (a linter from npm), the file's own promises (roles, health
// checks, limits, profiles), and that every variable it and the example name is a contract TOD keeps.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { DCLinter } from 'dclint';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig, readEnvironment } from '../../src/platform/config/config.js';
import { envSchema } from '../../src/platform/config/env.js';

type Service = {
  image?: string;
  command?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  profiles?: string[];
  volumes?: string[];
  deploy?: { replicas?: number | string; resources?: { limits?: { cpus?: string; memory?: string } } };
};

// dclint's own declaration files import without extensions, which NodeNext cannot follow: its result, as used here.
type LintResult = {
  errorCount: number;
  warningCount: number;
  messages: { rule: string; line: number; message: string }[];
};

const deployDir = resolve(import.meta.dirname, '../../../../deploy');
const composePath = join(deployDir, 'compose.yaml');
const composeText = readFileSync(composePath, 'utf8');
const services = (parse(composeText, { merge: true }) as { services: Record<string, Service> }).services;
const exampleText = readFileSync(join(deployDir, 'compose.env.example'), 'utf8');
const example = parseEnv(exampleText);
const todKeys = new Set(Object.keys(envSchema.shape));

const scratch = mkdtempSync(join(tmpdir(), 'tod-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * dclint with its default rules: schema validation first (it cannot be turned off), then its best practices, with
 * ports quoted the way the repository's formatter (biome) writes every YAML string: in double quotes.
 */
function lint(text: string, name = 'compose.yaml'): LintResult {
  const file = join(scratch, name);
  writeFileSync(file, text);
  const rules = { 'require-quotes-in-ports': [1, { quoteType: 'double' }] } as const;
  const linter = new DCLinter({ rules, quiet: true, debug: false, exclude: [] });
  const [result] = linter.lintFiles([file], false);
  return result!;
}

/** The example's variables by section (`# ---- title ----`). */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '(none)';
  for (const line of text.split('\n')) {
    const heading = /^# ---- (.+) ----$/.exec(line);
    if (heading) current = heading[1]!;
    const v = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (v) out.set(current, [...(out.get(current) ?? []), v[1]!]);
  }
  return out;
}
const bySection = sections(exampleText);
const section = (prefix: string) => [...bySection].filter(([t]) => t.startsWith(prefix)).flatMap(([, vs]) => vs);

/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}` names; `$${…}` is an escaped dollar. */
const interpolated = [...composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((m) => m[1]!);

/** What `docker compose --env-file` does to the text before it validates types: values, else the defaults. */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)-([^}]*))?\}/g, (_, name: string, colon, dflt) => {
    const v = env[name];
    if (v === undefined || (colon === ':' && v === '')) return dflt ?? '';
    return v;
  });
}

const todServices = Object.entries(services).filter(([, s]) => s.image?.includes('DEPLOY_IMAGE'));
const longRunning = Object.entries(services).filter(([name]) => name !== 'migrate');

describe('deploy/compose.yaml', () => {
  it('is a valid Compose file (dclint: the Compose Specification schema, then its rules, no warnings)', () => {
    const r = lint(composeText);
    expect(r.messages.map((m) => `${m.rule} line ${m.line}: ${m.message}`)).toEqual([]);
    expect(r.errorCount + r.warningCount).toBe(0);
  });

  it.each([
    ['an unknown top-level key', (t: string) => `${t}\nservics:\n  api:\n    image: tod:1\n`],
    ['a misspelled service key', (t: string) => t.replace('    healthcheck:\n', '    healtcheck:\n')],
    ['a depends_on condition that does not exist', (t: string) => t.replace('service_completed_successfully', 'done')],
    ['an unknown resource limit', (t: string) => t.replace('          memory: 1G\n', '          ram: 1G\n')],
  ])('the same validator rejects %s', (_, broken) => {
    const text = broken(composeText);
    expect(text).not.toBe(composeText);
    const r = lint(text, 'compose.broken.yaml');
    expect(r.errorCount).toBeGreaterThan(0);
    expect(r.messages.map((m) => m.rule)).toContain('invalid-schema');
  });

  // The schema accepts strings where interpolation may produce a number, so `replicas: "many"` passes it; the
  // values after interpolation with the example's settings are checked here instead.
  const limitsAfter = (text: string) =>
    Object.entries(
      (parse(interpolate(text, example), { merge: true }) as { services: Record<string, Service> }).services,
    );
  const checkNumbers = (text: string) => {
    for (const [name, s] of limitsAfter(text)) {
      if (s.deploy?.replicas !== undefined)
        expect(Number.isInteger(s.deploy.replicas) && Number(s.deploy.replicas) > 0, `${name} replicas`).toBe(true);
      const limits = s.deploy?.resources?.limits;
      expect(Number(limits?.cpus), `${name} cpus`).toBeGreaterThan(0);
      expect(limits?.memory, `${name} memory`).toMatch(/^\d+[KMG]$/);
    }
  };
  it('replicas, cpus and memory are numbers once interpolated', () => checkNumbers(composeText));
  it('a replicas count that is not a number is caught', () => {
    const text = composeText.replace(`\${DEPLOY_API_REPLICAS:-2}`, 'many');
    expect(text).not.toBe(composeText);
    expect(() => checkNumbers(text)).toThrow(/api replicas/);
  });

  it('runs migrate once, then N api, M poller and K worker replicas of one image, each waiting for it', () => {
    expect(todServices.map(([n]) => n).sort()).toEqual(['api', 'migrate', 'poller', 'worker']);
    expect(services.migrate!.command).toEqual(['migrate']);
    expect(services.migrate!.restart).toBe('no');
    for (const [role, replicas] of [
      ['api', 'DEPLOY_API_REPLICAS:-2'],
      ['poller', 'DEPLOY_POLLER_REPLICAS:-3'],
      ['worker', 'DEPLOY_WORKER_REPLICAS:-2'],
    ] as const) {
      const s = services[role]!;
      expect(s.command).toEqual(['start', '--roles', role]);
      expect(s.deploy?.replicas).toBe(`\${${replicas}}`);
      expect(s.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
      expect(s.depends_on?.nats?.condition).toBe('service_healthy');
    }
  });

  it('gives every long-running service a health check, a restart policy and resource limits', () => {
    for (const [name, s] of longRunning) {
      expect(s.healthcheck?.test?.length, `${name} healthcheck`).toBeGreaterThan(0);
      expect(s.healthcheck?.disable, `${name} healthcheck`).toBeUndefined();
      expect(s.restart, `${name} restart`).toBe('unless-stopped');
    }
    for (const [name, s] of Object.entries(services)) {
      expect(s.deploy?.resources?.limits?.cpus, `${name} cpus`).toBeDefined();
      expect(s.deploy?.resources?.limits?.memory, `${name} memory`).toBeDefined();
    }
    // The roles' probes: the api's readiness on PORT, the others' liveness on METRICS_PORT.
    expect(services.api!.healthcheck!.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs', 'api', '/health/ready']);
    for (const role of ['poller', 'worker'])
      expect(services[role]!.healthcheck!.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs', 'metrics']);
  });

  it('has NATS with JetStream and a volume, Redis and a bundled PostgreSQL only under their profiles', () => {
    expect(services.nats!.command).toContain('--jetstream');
    expect(services.nats!.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(services.nats!.profiles).toBeUndefined();
    expect(services.redis!.profiles).toEqual(['redis']);
    expect(services.postgres!.profiles).toEqual(['bundled-db']);
    // The tod containers' optional dependencies stay optional when their profile is off.
    expect(services.api!.depends_on?.redis).toEqual({ condition: 'service_healthy', required: false });
    expect(services.migrate!.depends_on?.postgres).toEqual({ condition: 'service_healthy', required: false });
  });

  it('merges the shared tod settings without overriding any of them (merge order cannot matter)', () => {
    const raw = parse(composeText) as { 'x-tod': Record<string, unknown>; services: Record<string, object> };
    const shared = Object.keys(raw['x-tod']);
    for (const [name] of todServices)
      expect(
        Object.keys(raw.services[name]!).filter((k) => shared.includes(k)),
        name,
      ).toEqual([]);
  });

  it('holds no secret inline: tod containers get theirs from the env file only', () => {
    for (const [name, s] of todServices) {
      expect(s.env_file, name).toEqual(['compose.env']);
      expect(s.environment, name).toBeUndefined();
    }
    for (const [name, s] of Object.entries(services))
      for (const [k, v] of Object.entries(s.environment ?? {}))
        if (/PASSWORD|SECRET|TOKEN|KEY/.test(k)) expect(v, `${name} ${k}`).toMatch(/^\$\{[A-Z_]+(:?-)?\}$/);
  });
});

describe('deploy/compose.env.example', () => {
  it('names every variable the compose file interpolates', () => {
    expect(interpolated.length).toBeGreaterThan(0);
    expect([...new Set(interpolated)].filter((v) => !(v in example))).toEqual([]);
  });

  it("names only TOD's own variables outside the compose section, and the compose section's are all used", () => {
    const compose = section('compose');
    const tod = section('TOD');
    expect(compose.length + tod.length).toBe(Object.keys(example).length);
    expect(tod.filter((v) => !todKeys.has(v))).toEqual([]);
    expect(compose.filter((v) => todKeys.has(v) || !interpolated.includes(v))).toEqual([]);
  });

  it('is what TOD refuses in production until the required secrets are filled in, and accepts then', () => {
    const required = section('TOD: required in production');
    // As a container gets it: the env file's values, empty ones being unset (readEnvironment), no .env file.
    const raw = readEnvironment(scratch, example);
    let problems: string[] = [];
    try {
      loadConfig(raw);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems = e.problems;
    }
    const named = problems.flatMap((p) => p.split(':')[0]!.match(/\b[A-Z][A-Z0-9_]+\b/g) ?? []);
    expect(named.sort()).toEqual([...required].sort());

    // The example ships no secret: every required one is blank.
    for (const k of required) expect(raw[k], k).toBeUndefined();

    const config = loadConfig({
      ...raw,
      JWT_SECRET_KEY: randomBytes(64).toString('base64'),
      CREDENTIAL_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DB_APP_PASSWORD: randomBytes(24).toString('hex'),
      DB_SYSTEM_PASSWORD: randomBytes(24).toString('hex'),
    });
    expect(config.isProduction).toBe(true);
    expect(config.embeddedDb).toBe(false);
    expect(config.NATS_URL).toBe('nats://nats:4222');
    expect(config.generatedSecrets).toEqual([]);
  });
});
