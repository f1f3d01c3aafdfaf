/**
 * The join-by-phone chunk: the launcher's phone panel and the /dialin page share their number list,
 * so they load as one lazy chunk (two chunks sharing it would make the bundler split Preact out of
 * the entry, a request more on the critical path).
 */
export { PhonePanel, poolNumbers } from '../launcher/PhonePanel';
export { showDialInPage } from './page';
