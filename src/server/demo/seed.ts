/** The demo topology, configuration and meetings of DESIGN.md, written once on first start. */
import { randomBytes } from 'node:crypto';
import { PRODUCT_DEFAULTS } from '../../shared/config-schema';
import type { Sql } from '../sql/sql';
import { putDocument } from '../store/config-store';
import { addMeeting } from '../store/meetings';
import { isProductionStore, markStoreKind } from '../store/meta';
import { replaceSipDomains, sipDomainsOf } from '../store/sites-pools';
import { addPool, addSite, findPool, listPools } from '../topology/topology';
import { backfillDemoDialIn, seedDemoDialIn } from './seed-dialin';

const key = () => randomBytes(16).toString('base64url');

const DEMO_SIP_DOMAINS: Record<string, string> = {
  'pool01.contoso.com': 'contoso.com',
  'pool02.fabrikam.com': 'fabrikam.com',
};

/** Demo pools host their organizers' SIP domains, so new-meeting finds the pool by itself. */
async function seedDemoSipDomains(sql: Sql): Promise<void> {
  for (const [pool, domain] of Object.entries(DEMO_SIP_DOMAINS)) {
    if ((await findPool(sql, pool)) && (await sipDomainsOf(sql, pool)).length === 0)
      await replaceSipDomains(sql, pool, [domain]);
  }
}

/**
 * Only `npm start` calls this. Seeds the demo into an empty store (true), or gives an older demo
 * store what later versions added. A production store (made by `init` or `npm run serve`) is never
 * touched, even when it is still empty. One write transaction: nodes starting together on one
 * PostgreSQL seed it once.
 */
export function seedDemoIfEmpty(sql: Sql): Promise<boolean> {
  return sql.transaction(
    async (tx) => {
      if (await isProductionStore(tx)) return false;
      if ((await listPools(tx)).length > 0) {
        await backfillDemoDialIn(tx, key);
        await seedDemoSipDomains(tx);
        return false;
      }
      await markStoreKind(tx, 'demo');
      await addSite(tx, 'Redmond');
      await addSite(tx, 'Dublin');
      await addPool(tx, { fqdn: 'pool01.contoso.com', site: 'Redmond' }, [
        'localhost',
        '127.0.0.1',
        'meet.contoso.test',
      ]);
      await addPool(tx, { fqdn: 'pool02.fabrikam.com', site: 'Dublin' }, ['meet.fabrikam.test']);
      await putDocument(tx, { kind: 'global' }, { ...PRODUCT_DEFAULTS });
      await addMeeting(tx, {
        organizer: 'alice',
        conferenceId: '7Q3DSSYV',
        pool: 'pool01.contoso.com',
        organizerUri: 'alice@contoso.com',
        subject: 'Quarterly planning',
        lobby: false,
        organizerKey: key(),
      });
      await addMeeting(tx, {
        organizer: 'kenmyer',
        conferenceId: '071200',
        pool: 'pool01.contoso.com',
        organizerUri: 'kenmyer@contoso.com',
        subject: 'Design review',
        lobby: true,
        organizerKey: key(),
      });
      await addMeeting(tx, {
        organizer: 'carol',
        conferenceId: 'FAB12345',
        pool: 'pool02.fabrikam.com',
        organizerUri: 'carol@fabrikam.com',
        subject: 'Partner sync',
        lobby: false,
        organizerKey: key(),
      });
      await seedDemoDialIn(tx, key);
      await seedDemoSipDomains(tx);
      return true;
    },
    { exclusive: true },
  );
}
