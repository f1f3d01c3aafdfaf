/** The meetings shell's stylesheet, linked by the shell's chunk (../shell-chunk.ts awaits it). */
import { linkStylesheet } from '../ui/link-stylesheet';
import shellCss from './shell.css?url';

export const linkShellStylesheet = () => linkStylesheet(shellCss);
