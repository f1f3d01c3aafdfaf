/**
 * The engine is chosen once (issue 24): only the wiring (src/server/sql/engine*.ts) and the rest
 * of src/server/sql/ may tell SQLite from PostgreSQL. Everywhere else asks engineOf(store) for its
 * pieces, or reads sql.fragments, and never tests which engine it has.
 *
 * And the floor plan holds (src/server/README.md, "What may import what"): read from the source
 * files' import lines, nothing below a layer imports it, sql/ is the bottom layer but for the
 * wiring, only `npm start` seeds the demo, and the page's code and the server's never import each
 * other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../src');
const SERVER = path.join(SRC, 'server');
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

/** The folders of src/server, top down (src/server/README.md); each has a README. */
const FOLDERS = ['entry', 'admin', 'http', 'live', 'telemetry', 'topology', 'secrets', 'demo', 'store', 'disk', 'sql'];
const WITHOUT_README: string[] = [];
const ENGINE_WIRING = ['sql/engine.ts', 'sql/engine-sqlite.ts', 'sql/engine-postgres.ts'];

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** The files of src/ a file imports, as paths relative to src/ with no extension. */
function importsOf(src: string, file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)]
    .map((match) => match[1] as string)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.relative(src, path.resolve(path.dirname(file), specifier)).replace(/\.tsx?$/, ''))
    .map((target) => target.split(path.sep).join('/'));
}

/** Why `from` (relative to src/server, a .ts file) may not import `target` (relative to src/server, no extension), or null. */
function ruleBroken(from: string, target: string): string | null {
  const [fromFolder] = from.split('/');
  const [toFolder] = target.split('/');
  if (fromFolder === toFolder) return null;
  if (toFolder === 'entry') {
    if (target === 'entry/build-info') return null;
    if (target === 'entry/settings' && fromFolder === 'admin') return null;
    return 'entry/ is a program: only build-info.ts, and settings.ts for the admin CLI, are read elsewhere';
  }
  if (toFolder === 'admin') return 'admin/ is a program: nothing imports it';
  if (toFolder === 'http' && fromFolder !== 'entry') return 'only entry/ imports http/';
  if (toFolder === 'demo' && from !== 'entry/main.ts') return 'only npm start (entry/main.ts) seeds the demo';
  if (fromFolder === 'sql' && !ENGINE_WIRING.includes(from))
    return 'sql/ is the bottom layer (but for the engine wiring)';
  return null;
}

/** Every break of the floor plan under `src`, as `file: what`. */
function floorPlanBreaks(src: string): string[] {
  const server = path.join(src, 'server');
  const found: string[] = [];
  for (const entry of fs.readdirSync(server, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!FOLDERS.includes(entry.name)) found.push(`${entry.name}/: a folder src/server/README.md does not name`);
      else if (!WITHOUT_README.includes(entry.name) && !fs.existsSync(path.join(server, entry.name, 'README.md')))
        found.push(`${entry.name}/: no README.md`);
    } else if (!['README.md', 'tsconfig.json'].includes(entry.name))
      found.push(`${entry.name}: a loose file in src/server`);
  }
  for (const file of tsFiles(server)) {
    const from = path.relative(server, file).split(path.sep).join('/');
    for (const target of importsOf(src, file)) {
      if (target.startsWith('client/') || target.startsWith('sw/')) {
        found.push(`${from}: imports src/${target} (the server never imports the page's code)`);
        continue;
      }
      if (!target.startsWith('server/')) continue;
      const why = ruleBroken(from, target.slice('server/'.length));
      if (why) found.push(`${from}: imports ${target.slice('server/'.length)} (${why})`);
    }
  }
  for (const side of ['client', 'sw', 'shared']) {
    const dir = path.join(src, side);
    if (!fs.existsSync(dir)) continue;
    for (const file of [...tsFiles(dir), ...tsxFiles(dir)]) {
      for (const target of importsOf(src, file)) {
        const outside = side === 'shared' ? !target.startsWith('shared/') : target.startsWith('server/');
        if (outside) found.push(`${path.relative(src, file).split(path.sep).join('/')}: imports src/${target}`);
      }
    }
  }
  return found;
}

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(full);
    return entry.name.endsWith('.tsx') ? [full] : [];
  });
}

describe('the floor plan of src/server (src/server/README.md)', () => {
  it('every file sits in a named folder and imports only what its layer may', () => {
    expect(floorPlanBreaks(SRC)).toEqual([]);
  });

  it('finds every kind of break it looks for', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floor-plan-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    try {
      for (const folder of FOLDERS.filter((name) => !WITHOUT_README.includes(name)))
        write(`server/${folder}/README.md`, '');
      write('server/loose.ts', '');
      write('server/misc/x.ts', '');
      fs.rmSync(path.join(dir, 'server/disk/README.md'));
      write('server/entry/main.ts', "import { seed } from '../demo/seed';\nimport { app } from '../http/app';\n");
      write('server/entry/settings.ts', '');
      write('server/entry/build-info.ts', "import { version } from '../../../package.json';\n");
      write(
        'server/admin/cli.ts',
        "import { settings } from '../entry/settings';\nimport { buildInfo } from '../entry/build-info';\nimport { serve } from '../entry/serve';\n",
      );
      write(
        'server/http/metrics.ts',
        "import { buildInfo } from '../entry/build-info';\nimport { settings } from '../entry/settings';\n",
      );
      write(
        'server/topology/links.ts',
        "import { pages } from '../http/routes/pages';\nimport type { C } from '../admin/commands';\n",
      );
      write('server/store/meetings.ts', "import { seedDemoIfEmpty } from '../demo/seed';\n");
      write('server/sql/engine-sqlite.ts', "import { live } from '../live/live-memory';\n");
      write(
        'server/sql/sqlite.ts',
        "import { statement } from './statements';\nimport { disk } from '../disk/disk';\n",
      );
      write(
        'server/live/live.ts',
        "import { boot } from '../../client/boot';\nconst m = await import('../http/app');\n",
      );
      write('client/app.tsx', "import type { Live } from '../server/live/live';\n");
      write('shared/x.ts', "import { track } from '../client/track';\n");
      expect(floorPlanBreaks(dir).sort()).toEqual(
        [
          'disk/: no README.md',
          'loose.ts: a loose file in src/server',
          'misc/: a folder src/server/README.md does not name',
          'admin/cli.ts: imports entry/serve (entry/ is a program: only build-info.ts, and settings.ts for the admin CLI, are read elsewhere)',
          'http/metrics.ts: imports entry/settings (entry/ is a program: only build-info.ts, and settings.ts for the admin CLI, are read elsewhere)',
          'topology/links.ts: imports http/routes/pages (only entry/ imports http/)',
          'topology/links.ts: imports admin/commands (admin/ is a program: nothing imports it)',
          'store/meetings.ts: imports demo/seed (only npm start (entry/main.ts) seeds the demo)',
          'sql/sqlite.ts: imports disk/disk (sql/ is the bottom layer (but for the engine wiring))',
          "live/live.ts: imports src/client/boot (the server never imports the page's code)",
          'live/live.ts: imports http/app (only entry/ imports http/)',
          'client/app.tsx: imports src/server/live/live',
          'shared/x.ts: imports src/client/track',
        ].sort(),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
