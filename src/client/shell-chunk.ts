/**
 * The one door from the launcher to the meetings shell (a lazy chunk) and its stylesheet, so the
 * launcher imports nothing of the meeting area but this.
 */
import type { FunctionComponent } from 'preact';
import type { ShellProps } from './meeting/Shell';
import shellCss from './meeting/shell.css?url';

export type { ShellProps };

let stylesheet: Promise<void> | undefined;

/**
 * The shell's stylesheet, linked here (once per page) rather than imported by the chunk: lazy
 * chunks import no CSS, so the launcher's entry carries no dependency-preload helper
 * (build/no-preload-helper.ts). A failed load is forgotten, so a later join tries again.
 */
function linkShellStylesheet(): Promise<void> {
  stylesheet ??= new Promise<void>((resolve, reject) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: shellCss });
    link.onload = () => resolve();
    link.onerror = () => {
      link.remove();
      stylesheet = undefined;
      reject(new Error(`stylesheet ${shellCss} did not load`));
    };
    document.head.append(link);
  });
  return stylesheet;
}

export async function loadShell(): Promise<FunctionComponent<ShellProps>> {
  const [module] = await Promise.all([import('./meeting/Shell'), linkShellStylesheet()]);
  return module.Shell;
}
