/**
 * The engine is chosen once (issue 24): only the wiring (src/server/sql/engine*.ts) and the rest
 * of src/server/sql/ may tell SQLite from PostgreSQL. Everywhere else asks engineOf(store) for its
 * pieces, or reads sql.fragments, and never tests which engine it has.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(__dirname, '../../src/server');
const ALLOWED = path.join(SERVER, 'sql');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Comments blanked (lines kept, for the line numbers), so prose about the engines is not mistaken for a test of one. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** What tests the engine: a comparison with `dialect` or an engine's name, a switch on it, an instanceof of an engine class. */
const ENGINE_TESTS: [string, RegExp][] = [
  ['a dialect comparison', /\bdialect\b\s*[!=]==?|[!=]==?\s*[\w.]*\bdialect\b/],
  ['a comparison with an engine name', /[!=]==?\s*'(sqlite|postgres)'|'(sqlite|postgres)'\s*[!=]==?/],
  ['a switch on the dialect', /switch\s*\([^)]*\bdialect\b/],
  ['a test for a dialect property', /'dialect'\s+in\b/],
  [
    'an instanceof of an engine class',
    /instanceof\s+(Database|pg\.Pool|pg\.Client|Pool|PoolClient|\w*(Sqlite|Postgres|Memory)\w*)\b/,
  ],
  ['a test of what the store holds', /'(db|pool)'\s+in\s+\w*store/i],
];

/** The places outside the wiring that test the engine, as `file:line: what`. */
function engineTests(root: string, allowed: string): string[] {
  const found: string[] = [];
  for (const file of tsFiles(root)) {
    if (file.startsWith(allowed + path.sep)) continue;
    code(fs.readFileSync(file, 'utf8'))
      .split('\n')
      .forEach((line, i) => {
        for (const [what, pattern] of ENGINE_TESTS)
          if (pattern.test(line)) found.push(`${path.relative(root, file)}:${i + 1}: ${what}`);
      });
  }
  return found;
}

describe('the engine chosen once', () => {
  it('no file under src/server outside sql/ tests which engine the store is', () => {
    expect(engineTests(SERVER, ALLOWED)).toEqual([]);
  });

  it('finds every kind of engine test it looks for', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-wiring-'));
    try {
      fs.mkdirSync(path.join(dir, 'sql'));
      fs.writeFileSync(path.join(dir, 'sql', 'engine.ts'), "if (store.dialect === 'sqlite') x();\n");
      fs.writeFileSync(
        path.join(dir, 'branchy.ts'),
        [
          "if (store.dialect === 'sqlite') x();",
          "const a = 'postgres' !== sql.dialect ? 1 : 2;",
          'switch (store.dialect) {}',
          'if (live instanceof MemoryLiveMeetings) y();',
          "if ('db' in store) z();",
          '// a comment saying store.dialect === "sqlite" is not code',
        ].join('\n'),
      );
      expect(engineTests(dir, path.join(dir, 'sql'))).toEqual([
        'branchy.ts:1: a dialect comparison',
        'branchy.ts:1: a comparison with an engine name',
        'branchy.ts:2: a dialect comparison',
        'branchy.ts:2: a comparison with an engine name',
        'branchy.ts:3: a switch on the dialect',
        'branchy.ts:4: an instanceof of an engine class',
        'branchy.ts:5: a test of what the store holds',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
