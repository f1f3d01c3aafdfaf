/**
 * The join-by-phone chunk: the launcher's phone panel and the /dialin page share their number list,
 * so they load as one lazy chunk (two chunks sharing it would make the bundler split Preact out of
 * the entry, a request more on the critical path). The one door to it for both page areas; its
 * stylesheet comes with it.
 */

import { linkStylesheet } from './ui/link-stylesheet';
import phoneCss from './ui/phone.css?url';

export { showDialInPage } from './dialin/page';
export { PhonePanel, poolNumbers } from './ui/PhonePanel';

export const linkPhoneStylesheet = () => linkStylesheet(phoneCss);
