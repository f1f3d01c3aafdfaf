/** The demo's join-by-phone data and one ended meeting; numbers are fictional (555 and drama ranges). */
import type { DialInNumber } from '../../shared/api-schema';
import { meetingKey } from '../../shared/meeting-url';
import type { Sql } from '../sql/sql';
import { addDialInNumber, markMeetingEnded, setMeetingDialIn } from '../store/dialin';
import { addMeeting, findMeeting } from '../store/meetings';
import { findPool } from '../topology/topology';

const n = (region: string, number: string, display: string, tollFree = false): DialInNumber => ({
  region,
  number,
  display,
  tollFree,
});

const DEMO_NUMBERS: Record<string, DialInNumber[]> = {
  'pool01.contoso.com': [
    n('US', '+14255550100', '+1 (425) 555-0100'),
    n('US', '+18005550199', '+1 (800) 555-0199', true),
    n('CA', '+16045550142', '+1 (604) 555-0142'),
    n('BR', '+551155550100', '+55 11 5555-0100'),
    n('BR', '+5508005550100', '0800 555 0100', true),
    n('ES', '+34915550100', '+34 915 55 01 00'),
    n('FR', '+33155550100', '+33 1 55 55 01 00'),
    n('FR', '+33805550100', '0 805 55 01 00', true),
    n('DE', '+493055550100', '+49 30 5555 0100'),
    n('DE', '+498005550100', '0800 555 0100', true),
    n('GB', '+442079460100', '+44 20 7946 0100'),
    n('JP', '+81355550100', '+81 3-5555-0100'),
    n('SA', '+966115550100', '+966 11 555 0100'),
  ],
  'pool02.fabrikam.com': [
    n('IE', '+35315550100', '+353 1 555 0100'),
    n('IE', '+3531800555010', '1800 555 010', true),
    n('GB', '+442079460199', '+44 20 7946 0199'),
    n('US', '+12065550111', '+1 (206) 555-0111'),
  ],
};

const DEMO_PHONE_IDS: Record<string, string> = {
  'alice/7Q3DSSYV': '4815162',
  'kenmyer/071200': '5550712',
  'carol/FAB12345': '7782341',
};

/** Runs inside the demo seed's transaction, after the demo meetings exist. */
export async function seedDemoDialIn(sql: Sql, organizerKey: () => string): Promise<void> {
  for (const [pool, numbers] of Object.entries(DEMO_NUMBERS)) {
    if (!(await findPool(sql, pool))) continue;
    for (const entry of numbers) await addDialInNumber(sql, pool, entry);
  }
  for (const [key, phoneId] of Object.entries(DEMO_PHONE_IDS)) await setMeetingDialIn(sql, key, phoneId);
  const ended = { organizer: 'alice', conferenceId: 'ENDED2025' };
  if ((await findMeeting(sql, ended)) || !(await findPool(sql, 'pool01.contoso.com'))) return;
  await addMeeting(sql, {
    ...ended,
    pool: 'pool01.contoso.com',
    organizerUri: 'alice@contoso.com',
    subject: 'Kickoff (ended)',
    lobby: false,
    organizerKey: organizerKey(),
  });
  await markMeetingEnded(sql, meetingKey(ended), Date.UTC(2025, 0, 15, 17, 30));
}

/**
 * A store seeded before join by phone existed has the demo pools but no dial-in data at all: give
 * it the demo's, once. A store with any dial-in number or phone conference ID is left alone. Runs
 * inside the caller's transaction.
 */
export async function backfillDemoDialIn(sql: Sql, organizerKey: () => string): Promise<boolean> {
  if (!(await findPool(sql, 'pool01.contoso.com'))) return false;
  const count = async (text: string) => (await sql.get<{ n: number }>(text))?.n ?? 0;
  const numbers = await count('SELECT COUNT(*) AS n FROM dialin_numbers');
  const phoneIds = await count('SELECT COUNT(*) AS n FROM meetings WHERE dialin_conference_id IS NOT NULL');
  if (numbers > 0 || phoneIds > 0) return false;
  await seedDemoDialIn(sql, organizerKey);
  return true;
}
