#!/usr/bin/env node
// tod: dist/tod.js when built (npm run build), otherwise src/main.ts through tsx (see scripts/lib/launch.mjs).
import { launch } from '../../../scripts/lib/launch.mjs';

await launch(import.meta.url, '../dist/tod.js', '../src/main.ts');
