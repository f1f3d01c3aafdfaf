/**
 * The unit suite starts nothing (test/README.md): no database, no process. A static check of what
 * its files import, following imports into test/ (the shared set-up), not into src/: a test that
 * opens a store or spawns a process belongs in test/integration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const TEST = path.resolve(import.meta.dirname, '..');
const UNIT = path.join(TEST, 'unit');

/** Modules that open a database, start a process or make a store: integration's, never unit's. */
const FORBIDDEN: [RegExp, string][] = [
  [/^(node:)?child_process$/, 'starts processes'],
  [/^better-sqlite3$/, 'opens SQLite'],
  [/^pg$/, 'opens PostgreSQL'],
  [/\/src\/server\/sql\//, 'opens a store'],
  [/\/src\/server\/(admin\/commands|seed|serve|main)(\.ts)?$/, 'writes or serves a store'],
  [
    /\/support\/(postgres|vitest-postgres|engines|temp-store|security-app|telemetry-stores|live-engines|topology)(\.ts)?$/,
    'a store or PostgreSQL',
  ],
  [/\/support\/(server-build|certificate|coturn|transport-clients|telemetry-node)(\.ts)?$/, 'starts processes'],
];

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'([^']+)'/g;

function importsOf(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => match[1] as string);
}

/** Every import of `file` and of the test/ modules it reaches, as [importing file, specifier]. */
function reachable(file: string, seen = new Set<string>()): [string, string][] {
  if (seen.has(file)) return [];
  seen.add(file);
  const found: [string, string][] = [];
  for (const specifier of importsOf(file)) {
    found.push([file, specifier]);
    if (!specifier.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier);
    const resolved = [target, `${target}.ts`, `${target}.tsx`].find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
    if (resolved?.startsWith(TEST + path.sep)) found.push(...reachable(resolved, seen));
  }
  return found;
}

it('no file in test/unit reaches a database, a process or a store through its imports', () => {
  const files = fs.readdirSync(UNIT).filter((name) => /\.tsx?$/.test(name));
  expect(files.length).toBeGreaterThan(20);
  const offences: string[] = [];
  for (const name of files) {
    for (const [from, specifier] of reachable(path.join(UNIT, name))) {
      const rule = FORBIDDEN.find(([pattern]) => pattern.test(specifier));
      if (rule) offences.push(`${name}: ${path.relative(TEST, from)} imports '${specifier}' (${rule[1]})`);
    }
  }
  expect(offences).toEqual([]);
});

it('the check sees an offence: an integration test read as if it were a unit test', () => {
  const integration = path.join(TEST, 'integration', 'store-contract.test.ts');
  const specifiers = reachable(integration).map(([, specifier]) => specifier);
  expect(specifiers.some((s) => FORBIDDEN.some(([pattern]) => pattern.test(s)))).toBe(true);
});
