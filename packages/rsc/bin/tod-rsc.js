#!/usr/bin/env node
// tod-rsc: dist/cli.js when built, otherwise src/cli.ts through tsx (see scripts/lib/launch.mjs).
import { launch } from '../../../scripts/lib/launch.mjs';

await launch(import.meta.url, '../dist/cli.js', '../src/cli.ts');
