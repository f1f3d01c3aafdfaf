/**
 * What the build may precache. Run by vite.config.ts at build time over Vite's build manifest;
 * pure so a unit test can hold it to its promise.
 *
 * The telemetry client is a lazy chunk that must never reach the device while a pool's flag is
 * off, so neither it nor any chunk only it imports (web-vitals, say) may be precached. Chunks the
 * rest of the app also uses stay in.
 */
export interface ViteManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export type ViteManifest = Record<string, ViteManifestChunk>;

/** Source folder of the telemetry client (see docs/architecture.md: loaded only when the flag is true). */
export const TELEMETRY_SOURCE_PREFIX = 'src/client/telemetry/';

function reachable(manifest: ViteManifest, roots: string[], skip: (key: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const key = stack.pop() as string;
    if (seen.has(key) || skip(key)) continue;
    seen.add(key);
    const chunk = manifest[key];
    if (chunk) stack.push(...(chunk.imports ?? []), ...(chunk.dynamicImports ?? []));
  }
  return seen;
}

/** Output files (relative to dist/) that belong to the telemetry client alone. */
export function telemetryOnlyFiles(manifest: ViteManifest): Set<string> {
  const isTelemetry = (key: string) => (manifest[key]?.src ?? key).startsWith(TELEMETRY_SOURCE_PREFIX);
  const keys = Object.keys(manifest);
  const telemetryRoots = keys.filter(isTelemetry);
  const appRoots = keys.filter((key) => manifest[key]?.isEntry);
  // Everything the app reaches without passing through the telemetry client stays precacheable.
  const app = reachable(manifest, appRoots, isTelemetry);
  const telemetry = reachable(manifest, telemetryRoots, () => false);
  const files = new Set<string>();
  for (const key of telemetry) {
    if (app.has(key)) continue;
    const chunk = manifest[key];
    if (!chunk) continue;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
  }
  return files;
}
