/** The demo topology, configuration and meetings of DESIGN.md, written once on first start. */
import { randomBytes } from 'node:crypto';
import { PRODUCT_DEFAULTS } from '../shared/config-schema';
import type { Db } from './db';
import { backfillDemoDialIn, seedDemoDialIn } from './seed-dialin';
import { putDocument } from './store/config-store';
import { addMeeting } from './store/meetings';
import { isProductionStore, markStoreKind } from './store/meta';
import { replaceSipDomains, sipDomainsOf } from './store/sites-pools';
import { addPool, addSite, findPool, listPools } from './topology';

const key = () => randomBytes(16).toString('base64url');

const DEMO_SIP_DOMAINS: Record<string, string> = {
  'pool01.contoso.com': 'contoso.com',
  'pool02.fabrikam.com': 'fabrikam.com',
};

/** Demo pools host their organizers' SIP domains, so new-meeting finds the pool by itself. */
function seedDemoSipDomains(db: Db): void {
  for (const [pool, domain] of Object.entries(DEMO_SIP_DOMAINS)) {
    if (findPool(db, pool) && sipDomainsOf(db, pool).length === 0) replaceSipDomains(db, pool, [domain]);
  }
}

/**
 * Only `npm start` calls this. Seeds the demo into an empty store (true), or gives an older demo
 * store what later versions added. A production store (made by `init` or `npm run serve`) is never
 * touched, even when it is still empty.
 */
export function seedDemoIfEmpty(db: Db): boolean {
  if (isProductionStore(db)) return false;
  if (listPools(db).length > 0) {
    backfillDemoDialIn(db, key);
    db.transaction(() => seedDemoSipDomains(db))();
    return false;
  }
  db.transaction(() => {
    markStoreKind(db, 'demo');
    addSite(db, 'Redmond');
    addSite(db, 'Dublin');
    addPool(db, { fqdn: 'pool01.contoso.com', site: 'Redmond' }, ['localhost', '127.0.0.1', 'meet.contoso.test']);
    addPool(db, { fqdn: 'pool02.fabrikam.com', site: 'Dublin' }, ['meet.fabrikam.test']);
    putDocument(db, { kind: 'global' }, { ...PRODUCT_DEFAULTS });
    addMeeting(db, {
      organizer: 'alice',
      conferenceId: '7Q3DSSYV',
      pool: 'pool01.contoso.com',
      organizerUri: 'alice@contoso.com',
      subject: 'Quarterly planning',
      lobby: false,
      organizerKey: key(),
    });
    addMeeting(db, {
      organizer: 'kenmyer',
      conferenceId: '071200',
      pool: 'pool01.contoso.com',
      organizerUri: 'kenmyer@contoso.com',
      subject: 'Design review',
      lobby: true,
      organizerKey: key(),
    });
    addMeeting(db, {
      organizer: 'carol',
      conferenceId: 'FAB12345',
      pool: 'pool02.fabrikam.com',
      organizerUri: 'carol@fabrikam.com',
      subject: 'Partner sync',
      lobby: false,
      organizerKey: key(),
    });
    seedDemoDialIn(db, key);
    seedDemoSipDomains(db);
  })();
  return true;
}
