#!/usr/bin/env node
// `npm run serve`: runs the built server (dist-server/, made by `npm run build`); never builds.
import fs from 'node:fs';
import path from 'node:path';

const entry = path.resolve(import.meta.dirname, '../dist-server/serve.js');
if (!fs.existsSync(entry)) {
  console.error(`meet-launcher: no server build at ${entry}: run "npm run build" first.`);
  process.exit(1);
}
await import(entry);
