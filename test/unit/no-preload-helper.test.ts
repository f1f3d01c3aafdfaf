/** The build step that keeps Vite's dependency-preload helper out of the launcher's entry. */
import { describe, expect, it } from 'vitest';
import { callArguments, dropHelperModule, unwrapPreloads } from '../../build/no-preload-helper';

const HELPER = [
  '// \\0vite/preload-helper.js',
  'var scriptRel = /* @__PURE__ */ (function detectScriptRel() {',
  '\treturn "modulepreload";',
  '})();',
  'var __vitePreload = function preload(baseModule, deps, importerUrl) {',
  '\treturn baseModule();',
  '};',
  '',
].join('\n');

describe('callArguments', () => {
  it('splits at top-level commas only, skipping strings and nested brackets', () => {
    const code = 'f(a(1, 2), "x, )", [3, 4], `y)`)';
    expect(callArguments(code, 1)).toEqual({
      args: ['a(1, 2)', ' "x, )"', ' [3, 4]', ' `y)`'],
      close: code.length - 1,
    });
  });
  it('gives up on unbalanced parentheses', () => {
    expect(callArguments('f(a, (b', 1)).toBeUndefined();
  });
});

describe('unwrapPreloads', () => {
  it('turns a wrapped import with no dependencies back into the import, keeping any .then', () => {
    const code =
      'const a = () => __vitePreload(() => import("./a.js"), __VITE_PRELOAD__);\n' +
      'b = __vitePreload(() => import("./b.js").then((m) => m.run(1, 2)), __VITE_PRELOAD__);';
    expect(unwrapPreloads(code)).toEqual({
      code: 'const a = () => (import("./a.js"));\nb = (import("./b.js").then((m) => m.run(1, 2)));',
      unwrapped: 2,
    });
  });
  it('calls an async loader (the destructuring form) directly', () => {
    const code =
      'const { x } = await __vitePreload(async () => {\n\tconst { x } = await import("./c.js");\n\treturn { x };\n}, __VITE_PRELOAD__);';
    const { code: out, unwrapped } = unwrapPreloads(code);
    expect(unwrapped).toBe(1);
    expect(out).toBe(
      'const { x } = await ((async () => {\n\tconst { x } = await import("./c.js");\n\treturn { x };\n})());',
    );
  });
  it('leaves calls with real dependencies, and the helper definition, alone', () => {
    const code =
      'var __vitePreload = function preload() {};\nq = __vitePreload(() => import("./d.js"), ["assets/d.css"]);';
    expect(unwrapPreloads(code)).toEqual({ code, unwrapped: 0 });
  });
});

describe('dropHelperModule', () => {
  it('removes the helper module once nothing else uses it', () => {
    const code = `var before = 1;\n\n${HELPER}// src/app.ts\nconst a = () => (import("./a.js"));\n`;
    expect(dropHelperModule(code)).toBe('var before = 1;\n\n// src/app.ts\nconst a = () => (import("./a.js"));\n');
  });
  it('keeps it while a call or an export still names it', () => {
    const still = `${HELPER}// src/app.ts\nq = __vitePreload(() => import("./d.js"), ["assets/d.css"]);\n`;
    expect(dropHelperModule(still)).toBe(still);
    const exported = `${HELPER}// src/app.ts\nexport { __vitePreload as t };\n`;
    expect(dropHelperModule(exported)).toBe(exported);
  });
  it('leaves a chunk without the helper as it is', () => {
    expect(dropHelperModule('const a = 1;\n')).toBe('const a = 1;\n');
  });
});
