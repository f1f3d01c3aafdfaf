/**
 * Thousands of generated meeting links through the pure parser, and through the real server's page
 * routes: the parser never throws and accepts only clean names; the server answers every link with
 * the page or a 404, never an error, and never echoes the link. (The browser sees a handful of them
 * in test/e2e/security-link-fuzz.spec.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingKey, parseMeetingPath } from '../../src/shared/meeting-url';
import { seeded } from '../support/fuzz-gen';
import { generateLink } from '../support/link-gen';
import { startTestApp, type TestApp } from '../support/security-app';

/** What `location.pathname` is for the link: everything before the query or fragment. */
const pathOf = (link: string) => link.split(/[?#]/)[0] as string;

describe('parseMeetingPath under fuzz', () => {
  const random = seeded(2026);
  const links = Array.from({ length: 20_000 }, () => generateLink(random));

  it('never throws, accepts only clean names, and finds the real meetings in every spelling', () => {
    const found = new Set<string>();
    let refused = 0;
    for (const link of links) {
      const result = parseMeetingPath(pathOf(link));
      if (!result.ok) {
        expect(result.code, link).toBe('invalid-link');
        refused++;
        continue;
      }
      const { organizer, conferenceId, tenant, domain } = result.meeting;
      expect(organizer, link).toMatch(/^[a-z0-9._-]{1,64}$/i);
      expect(conferenceId, link).toMatch(/^[a-z0-9]{1,32}$/i);
      if (tenant !== undefined) expect(tenant, link).toMatch(/^[a-z0-9.-]+$/i);
      if (domain !== undefined) expect(domain, link).toMatch(/^[a-z0-9.-]+$/);
      // What was accepted is a meeting again when written plainly.
      expect(parseMeetingPath(`/${organizer}/${conferenceId}`)).toEqual({
        ok: true,
        meeting: { organizer, conferenceId },
      });
      found.add(meetingKey(result.meeting));
    }
    expect(found).toContain('alice/7Q3DSSYV');
    expect(found).toContain('kenmyer/071200');
    expect(refused, 'most generated links are not meetings').toBeGreaterThan(links.length / 2);
  });

  it('is the same with one trailing slash', () => {
    for (const link of links.slice(0, 5_000)) {
      const path = pathOf(link);
      if (path.endsWith('/')) continue;
      expect(parseMeetingPath(`${path}/`), link).toEqual(parseMeetingPath(path));
    }
  });
});

describe('the server answers generated links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ rateLimitPerMinute: 1_000_000 });
  });
  afterAll(() => t.close());

  it('with the page or a 404, never an error, never echoing the link', async () => {
    const random = seeded(7);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2_000; i++) {
      const link = generateLink(random);
      const reply = await t.app.inject({ method: 'GET', url: link, headers: { host: 'meet.contoso.test' } });
      statuses.set(reply.statusCode, (statuses.get(reply.statusCode) ?? 0) + 1);
      expect([200, 404], link).toContain(reply.statusCode);
      expect(reply.body, link).not.toMatch(/<script>alert|onerror=|javascript:alert/i);
      expect(reply.headers['content-security-policy'], link).toBeTruthy();
    }
    expect(statuses.get(200), 'real meetings are served').toBeGreaterThan(50);
    expect(statuses.get(404), 'the rest are not').toBeGreaterThan(500);
    // 2,000 requests: about 2 s alone, several times that on a 2-core machine running other suites.
  }, 30_000);
});
