/**
 * Vite wraps every dynamic `import()` in its `__vitePreload` helper, which preloads the imported
 * chunk's dependencies and its CSS, and keeps the helper (about 0.65 KB gzip) even when every
 * dependency list is empty (vitejs/vite#13952, #18551). Our lazy chunks depend only on the entry,
 * which is already loaded, and import no CSS, so the helper is pure weight on the launcher's
 * critical path. Before minification, this plugin unwraps `__vitePreload(() => import(...),
 * __VITE_PRELOAD__)` back into the plain import and, once no call is left, drops the helper's
 * module from the chunk. It fails the build if a dynamically imported chunk ever imports CSS (that
 * stylesheet would silently not load). Should Vite's output change shape, the plugin leaves the
 * chunk as it is and `npm run bench` reports the bytes.
 */
import type { OutputBundle, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';

const CALL = '__vitePreload(';
const NO_DEPS = '__VITE_PRELOAD__';
/** The bundler marks where each module's code starts with its id in a comment at column 0. */
const HELPER_MODULE = '// \\0vite/preload-helper.js\n';
const HELPER_NAMES = /\b(?:__vitePreload|scriptRel|assetsURL|isCssPreloadUrl|preloadOnce)\b/;

/** Index just past the string literal starting at `start` (a quote or backtick). */
function skipString(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote) i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

/**
 * The arguments of the call whose `(` is at `open`, split at top-level commas, and the index of
 * its closing `)`; undefined when the parentheses do not balance.
 */
export function callArguments(code: string, open: number): { args: string[]; close: number } | undefined {
  const args: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open; i < code.length; ) {
    const c = code[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(code, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(code.slice(from, i));
        return { args, close: i };
      }
    } else if (c === ',' && depth === 1) {
      args.push(code.slice(from, i));
      from = i + 1;
    }
    i++;
  }
  return undefined;
}

/**
 * Replaces each `__vitePreload(() => import(x)..., __VITE_PRELOAD__)` by `(import(x)...)`, and
 * `__vitePreload(async () => {...}, __VITE_PRELOAD__)` by `((async () => {...})())`.
 */
export function unwrapPreloads(code: string): { code: string; unwrapped: number } {
  let out = '';
  let last = 0;
  let unwrapped = 0;
  for (let at = code.indexOf(CALL); at !== -1; at = code.indexOf(CALL, at + CALL.length)) {
    // Only calls: the helper's own definition (`__vitePreload = function`) has no `(` after it.
    const call = callArguments(code, at + CALL.length - 1);
    if (call?.args.length !== 2) continue;
    const [loader, deps] = call.args.map((a) => a.trim()) as [string, string];
    if (deps !== NO_DEPS || !/^(?:async\s*)?\(\)\s*=>/.test(loader)) continue;
    // `() => import(x)` becomes `(import(x))`; any other loader is simply called.
    const body = /^\(\)\s*=>\s*(import\([\s\S]*)$/.exec(loader)?.[1];
    out += `${code.slice(last, at)}(${body ?? `(${loader})()`})`;
    last = call.close + 1;
    unwrapped++;
  }
  return { code: out + code.slice(last), unwrapped };
}

/** The chunk without the helper's module, when nothing outside that module uses it any more. */
export function dropHelperModule(code: string): string {
  const start = code.indexOf(HELPER_MODULE);
  if (start === -1) return code;
  const next = code.indexOf('\n// ', start + HELPER_MODULE.length);
  const end = next === -1 ? code.length : next + 1;
  const rest = code.slice(0, start) + code.slice(end);
  return HELPER_NAMES.test(rest) ? code : rest;
}

const HELPER_ID = '\0vite/preload-helper.js';

/**
 * When the bundler puts the helper in a chunk of its own (it can, once lazy chunks also import
 * modules of the entry), unwrapping every call leaves that chunk imported for nothing, and the HTML
 * modulepreloads it: about 0.9 KB gzip on the critical path. Drops such a chunk, its side-effect
 * imports and its preload link; leaves it alone if any chunk still uses what it exports.
 */
function dropUnusedHelperChunk(bundle: OutputBundle): void {
  const helper = Object.values(bundle).find(
    (c): c is OutputChunk => c.type === 'chunk' && Object.keys(c.modules).length === 1 && HELPER_ID in c.modules,
  );
  if (!helper) return;
  const base = helper.fileName.slice(helper.fileName.lastIndexOf('/') + 1);
  const sideEffectImport = `import"./${base}";`;
  const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk' && c !== helper);
  if (chunks.some((c) => c.code.includes(`./${base}`) && !c.code.includes(sideEffectImport))) return;
  for (const chunk of chunks) {
    if (!chunk.code.includes(sideEffectImport)) continue;
    chunk.code = chunk.code.replace(sideEffectImport, '');
    chunk.imports = chunk.imports.filter((file) => file !== helper.fileName);
  }
  delete bundle[helper.fileName];
  const link = new RegExp(`\\s*<link rel="modulepreload"[^>]*/${base.replace(/[.]/g, '\\.')}">`);
  for (const asset of Object.values(bundle)) {
    if (asset.type !== 'asset' || !asset.fileName.endsWith('.html') || typeof asset.source !== 'string') continue;
    asset.source = asset.source.replace(link, '');
  }
}

export function noPreloadHelper(): Plugin {
  return {
    name: 'meet-launcher:no-preload-helper',
    apply: 'build',
    enforce: 'post',
    renderChunk: {
      order: 'post',
      handler(code) {
        const result = unwrapPreloads(code);
        return result.unwrapped ? { code: dropHelperModule(result.code), map: null } : null;
      },
    },
    generateBundle(_options, bundle) {
      dropUnusedHelperChunk(bundle);
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isDynamicEntry) continue;
        const css = [...(chunk.viteMetadata?.importedCss ?? [])];
        if (css.length) {
          this.error(
            `${chunk.fileName} imports CSS (${css.join(', ')}), which a plain dynamic import does not load: ` +
              'import it with ?url and link it where the chunk is loaded (see src/client/launcher/ShellLoader.tsx).',
          );
        }
      }
    },
  };
}
