/**
 * What is running: the package version, the commit it was built from (the build stamps it in,
 * see `build:server` in package.json; unknown when run from the sources or built outside git) and
 * Node's version. `admin version` prints it; the metrics endpoint exposes it as `meet_build_info`.
 */
import { version } from '../../../package.json';

// Replaced by the build (esbuild --define); undeclared when tsx runs the sources.
declare const __MEET_COMMIT__: string | undefined;

export interface BuildInfo {
  version: string;
  commit: string | null;
  node: string;
}

export function buildInfo(): BuildInfo {
  const commit = typeof __MEET_COMMIT__ === 'string' && __MEET_COMMIT__ !== '' ? __MEET_COMMIT__ : null;
  return { version, commit, node: process.version };
}
