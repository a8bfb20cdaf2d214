import { majorOf } from './versions.js';

// Package names and sets. RouterOS 7 is one `routeros` package plus extras (wifi-qcom, container, wireless…) that
// must be of the same version; RouterOS 6 is a bundle `routeros-<arch>` holding system, dhcp, routing… (listed as
// packages of their own) plus optional extras (ntp, user-manager…). An upgrade keeps every extra the router had; a
// package that is gone afterwards is a failed upgrade.

export type InstalledPackage = { name: string; version: string; disabled: boolean };

/** The parts of RouterOS 6's bundle: in RouterOS 7 they are inside `routeros` (wireless an extra, when needed). */
const V6_BUNDLE = new Set([
  'system',
  'wireless',
  'dhcp',
  'routing',
  'security',
  'ppp',
  'advanced-tools',
  'hotspot',
  'mpls',
  'ipv6',
  'routerboard',
]);

/** One architecture name for the spellings routers and packages use (CHR's `x86_64`, RouterOS 6 packages' `mips`). */
export function archFamily(arch: string): string {
  const a = arch.trim().toLowerCase();
  if (a === 'x86_64' || a === 'i386') return 'x86';
  if (a === 'mips') return 'mipsbe';
  if (a === 'powerpc') return 'ppc';
  return a;
}

/** RouterOS itself (v7 `routeros`, older v7 files' `system`, v6 bundles `routeros-<arch>`) rather than an extra. */
export const isMainPackage = (name: string): boolean =>
  name === 'routeros' || name === 'system' || name.startsWith('routeros-');

/**
 * MikroTik's file names: `routeros-7.16.2-arm64.npk` (x86 without the suffix), RouterOS 6's bundle
 * `routeros-mipsbe-6.49.17.npk` (its package name holds the architecture).
 */
export function packageFileName(name: string, version: string, arch: string): string {
  const a = archFamily(arch);
  if (name.startsWith('routeros-') || a === 'x86') return `${name}-${version}.npk`;
  return `${name}-${version}-${a}.npk`;
}

/**
 * The extras an upgrade from `fromVersion` to `toVersion` must bring along (and that must be there afterwards):
 * the router's own extras; across 6 → 7 the bundle's parts are not extras (they are inside `routeros`).
 */
export function requiredExtras(installed: readonly InstalledPackage[], fromVersion: string): string[] {
  const fromV6 = (majorOf(fromVersion) ?? 7) < 7;
  return [
    ...new Set(installed.map((p) => p.name).filter((n) => !isMainPackage(n) && !(fromV6 && V6_BUNDLE.has(n)))),
  ].sort();
}

/** Extras worth bringing across 6 → 7 when TOD has them (the updater adds wireless on boards with wireless). */
export const OPTIONAL_V7_EXTRAS = ['wireless'];

/** The required packages missing from what the router runs after the upgrade. */
export function missingPackages(required: readonly string[], after: readonly InstalledPackage[]): string[] {
  const have = new Set(after.map((p) => p.name));
  return required.filter((n) => !have.has(n));
}
