import { describe, expect, it } from 'vitest';
import { meetingKey, parseMeetingPath } from '../../src/shared/meeting-url';

describe('parseMeetingPath', () => {
  it.each([
    ['/alice/7Q3DSSYV', { organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/alice/7Q3DSSYV/', { organizer: 'alice', conferenceId: '7Q3DSSYV' }],
    ['/kenmyer/071200', { organizer: 'kenmyer', conferenceId: '071200' }],
    ['/first.last/ABC123', { organizer: 'first.last', conferenceId: 'ABC123' }],
    ['/contoso.com/alice/7Q3DSSYV', { tenant: 'contoso.com', organizer: 'alice', conferenceId: '7Q3DSSYV' }],
  ])('accepts %s', (path, meeting) => {
    expect(parseMeetingPath(path)).toEqual({ ok: true, meeting });
  });

  it.each([
    '',
    '/',
    'alice/7Q3DSSYV',
    '/alice',
    '/alice/7Q3DSSYV/extra/more',
    '/alice//7Q3DSSYV',
    '//alice/7Q3DSSYV',
    '/alice/..',
    '/../alice/7Q3DSSYV',
    '/alice/..%2F..%2Fetc%2Fpasswd',
    '/alice/7Q3D%00SSYV',
    '/alice/%3Cscript%3E',
    '/<script>alert(1)</script>/7Q3DSSYV',
    '/alice/7Q3DSSYV?x=1',
    `/alice/${'A'.repeat(33)}`,
    `/${'a'.repeat(65)}/7Q3DSSYV`,
    `/${'a'.repeat(600)}`,
    '/-alice/7Q3DSSYV',
    '/alice./7Q3DSSYV',
    '/ali ce/7Q3DSSYV',
    '/alicé/7Q3DSSYV',
  ])('refuses %s', (path) => {
    expect(parseMeetingPath(path)).toEqual({ ok: false, code: 'invalid-link' });
  });
});

describe('meetingKey', () => {
  it('ignores the case of the organizer and the conference id', () => {
    expect(meetingKey({ organizer: 'Alice', conferenceId: '7q3dssyv' })).toBe(
      meetingKey({ organizer: 'alice', conferenceId: '7Q3DSSYV' }),
    );
  });
});
