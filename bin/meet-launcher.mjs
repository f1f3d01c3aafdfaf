#!/usr/bin/env node
// `npx meet-launcher <verb>` (or `meet-launcher <verb>` once installed globally or linked): the admin
// CLI from the build (dist-server/admin.js, made by `npm run build`), in this one process, so stdout
// carries the verb's output and nothing else (no npm banner, no tsx). Never builds.
import fs from 'node:fs';
import path from 'node:path';

const entry = path.resolve(import.meta.dirname, '../dist-server/admin.js');
if (!fs.existsSync(entry)) {
  console.error(`meet-launcher: no admin build at ${entry}: run "npm run build" first.`);
  process.exit(1);
}
await import(entry);
