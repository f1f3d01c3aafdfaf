import { describe, expect, it } from 'vitest';
import { conferenceUriOf, linkMatchesOrganizer, meetingKey, parseMeetingPath } from '../../src/shared/meeting-url';

describe('parseMeetingPath accepts every simple-URL form', () => {
  it.each([
    ['/alice/7Q3DSSYV', { organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/alice/7Q3DSSYV/', { organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/kenmyer/071200', { organizer: 'kenmyer', conferenceId: '071200' }],
    ['/john.smith/ABC123', { organizer: 'john.smith', conferenceId: 'ABC123' }],
    [
      '/contoso.com/alice/7Q3DSSYV',
      { tenant: 'contoso.com', domain: 'contoso.com', organizer: 'alice', conferenceId: '7Q3DSSYV' },
    ],
    ['/contoso/alice/7Q3DSSYV', { tenant: 'contoso', organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/Meet/alice/7Q3DSSYV', { organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/meet/alice/7Q3DSSYV', { organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/MEET/alice/7Q3DSSYV', { organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/contoso.com/Meet/alice/7Q3DSSYV', { domain: 'contoso.com', organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/Contoso.COM/meet/alice/7Q3DSSYV', { domain: 'contoso.com', organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    [
      '/sip.eu.contoso.com/Meet/alice/7Q3DSSYV',
      { domain: 'sip.eu.contoso.com', organizer: 'alice', conferenceId: '7Q3DSSYV' },
    ],
  ])('%s', (path, meeting) => {
    expect(parseMeetingPath(path)).toEqual({ ok: true, meeting });
  });
});

describe('parseMeetingPath refuses hostile and broken links', () => {
  it.each([
    '',
    '/',
    'alice/7Q3DSSYV',
    '/alice',
    '/Meet',
    '/Meet/alice',
    '/alice//7Q3DSSYV',
    '//alice/7Q3DSSYV',
    '/alice/7Q3DSSYV//',
    '/alice/7Q3DSSYV/extra/segment/more',
    '/contoso/Meet/alice/7Q3DSSYV', // the path-hosted form needs a real SIP domain
    '/contoso.com/Meeting/alice/7Q3DSSYV',
    '/-contoso.com/Meet/alice/7Q3DSSYV',
    '/contoso.com./Meet/alice/7Q3DSSYV',
    '/alice/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/<script>alert(1)</script>/7Q3DSSYV',
    '/alice/7Q3D%00SSYV',
    '/alice/..%2F..%2Fetc%2Fpasswd',
    '/../alice/7Q3DSSYV',
    '/alice/7Q3DSSYV%2Fx',
    '/alice/7Q3DSSYV?x=1',
    '/alice/7Q3DSSYV#frag',
    '/ali ce/7Q3DSSYV',
    '/alice/7Q3D-SSYV',
    '/.alice/7Q3DSSYV',
    '/alice./7Q3DSSYV',
    `/alice/${'A'.repeat(33)}`,
    `/${'a'.repeat(65)}/7Q3DSSYV`,
    `/${'a'.repeat(300)}/7Q3DSSYV`,
    `/${'a.'.repeat(300)}com/Meet/alice/7Q3DSSYV`,
    '/javascript:alert(1)/7Q3DSSYV',
    '/https:%2F%2Fevil.example/alice/7Q3DSSYV',
    '/alice/７Q3DSSYV', // full-width digit
    '/аlice/7Q3DSSYV', // Cyrillic a
    '/\\evil.example/alice/7Q3DSSYV',
  ])('%j', (path) => {
    expect(parseMeetingPath(path)).toEqual({ ok: false, code: 'invalid-link' });
  });
});

describe('conference URI', () => {
  it('is the focus URI of the organizer and conference id', () => {
    expect(conferenceUriOf('alice', 'contoso.com', '7Q3DSSYV')).toBe(
      'sip:alice@contoso.com;gruu;opaque=app:conf:focus:id:7Q3DSSYV',
    );
  });

  it('a link naming a domain must name the organizer’s domain', () => {
    const ref = (path: string) => {
      const parsed = parseMeetingPath(path);
      if (!parsed.ok) throw new Error(path);
      return parsed.meeting;
    };
    expect(linkMatchesOrganizer(ref('/alice/7Q3DSSYV'), 'alice@contoso.com')).toBe(true);
    expect(linkMatchesOrganizer(ref('/contoso.com/Meet/alice/7Q3DSSYV'), 'alice@contoso.com')).toBe(true);
    expect(linkMatchesOrganizer(ref('/CONTOSO.com/alice/7Q3DSSYV'), 'alice@contoso.com')).toBe(true);
    expect(linkMatchesOrganizer(ref('/fabrikam.com/Meet/alice/7Q3DSSYV'), 'alice@contoso.com')).toBe(false);
    expect(linkMatchesOrganizer(ref('/contoso.com.evil.example/alice/7Q3DSSYV'), 'alice@contoso.com')).toBe(false);
    // A tenant name that is not a domain says nothing about the organizer's domain.
    expect(linkMatchesOrganizer(ref('/contoso/alice/7Q3DSSYV'), 'alice@contoso.com')).toBe(true);
  });

  it('meeting keys ignore case', () => {
    expect(meetingKey({ organizer: 'Alice', conferenceId: '7q3dssyv' })).toBe('alice/7Q3DSSYV');
  });
});
