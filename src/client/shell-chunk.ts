/** The one door from the launcher to the meetings shell, a lazy chunk with its own stylesheet. */
import type { FunctionComponent } from 'preact';
import type { ShellProps } from './meeting/Shell';

export type { ShellProps };

export async function loadShell(): Promise<FunctionComponent<ShellProps>> {
  const shell = await import('./meeting/Shell');
  await shell.linkShellStylesheet();
  return shell.Shell;
}
