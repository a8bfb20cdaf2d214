// Replaced at bundle time by scripts/build.mjs; from sources it reads the root package.json.
declare const __TOD_VERSION__: string | undefined;
export const version: string = typeof __TOD_VERSION__ === 'string' ? __TOD_VERSION__ : '0.1.0-dev';
