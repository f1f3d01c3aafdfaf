/**
 * A call relayed through a real TURN server: Debian's coturn (test/support/coturn.ts) with
 * `use-auth-secret` and a `static-auth-secret`, the service started with the same secret as
 * TURN_SECRET, and the IceServers parameter naming the coturn, set with the admin CLI as an admin
 * does. The pages get a TURN REST API credential with their media session; only coturn's relay can
 * carry the call, and each page's getStats shows a selected candidate pair of relay candidates
 * allocated on this coturn, with video and sound flowing through it.
 *
 * How relay is forced: the browsers run with Chromium's WebRTC IP handling policy
 * `disable_non_proxied_udp` (`--webrtc-ip-handling-policy`, the command-line form of the
 * `WebRtcIPHandling` enterprise policy that managed browsers get on networks that let no UDP out).
 * Such a browser gathers no host or server-reflexive candidates at all: its only way to the other
 * person is a TURN allocation over TCP, relayed by coturn (as UDP, between the two allocations).
 * That is the case a TURN server is deployed for, the product's code is the one people run (no
 * hook in it, no wrapper around RTCPeerConnection in the page), and with TURN broken (coturn
 * down, or TURN_SECRET not coturn's static-auth-secret: coturn answers 401 to every allocation)
 * the pages have no relay candidate, so no pair can connect and no frame arrives.
 * media-turn-relay.spec.ts does the same with `iceTransportPolicy: 'relay'` on the pages' connections.
 */
import { CHROMIUM_ARGS, findChromium } from './browser';
import {
  call,
  expect,
  expectCoturnRelayed,
  type SelectedPair,
  selectedPairs,
  setIceServers,
  test,
} from './turn-helpers';

test.use({
  launchOptions: {
    executablePath: findChromium(),
    args: [...CHROMIUM_ARGS, '--webrtc-ip-handling-policy=disable_non_proxied_udp'],
  },
});

test('a call with no way but TURN is relayed by coturn: relay candidates selected, video and sound flow', async ({
  pool,
  people,
  coturn,
}) => {
  await setIceServers(pool, coturn);
  const pages = await call(pool, people);
  // What carries it: on both pages, the one peer connection's selected pair is relay to relay,
  // allocated on this coturn (over TCP, the only way out these browsers have).
  const turnTcp = `turn:127.0.0.1:${coturn.port}?transport=tcp`;
  for (const page of pages) {
    const pairs = await selectedPairs(page);
    expect(pairs).toHaveLength(1);
    const [pair] = pairs as [SelectedPair];
    expect(pair.connectionState).toBe('connected');
    // No UDP of its own: relay candidates, and at most the TCP host candidates of an active-only
    // TCP agent (which can only dial a passive one, and none is offered).
    expect(pair.gathered).toContain('relay/udp');
    expect(pair.gathered.filter((kind) => kind !== 'relay/udp' && kind !== 'host/tcp/active')).toEqual([]);
    expect(pair.local).toEqual({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp', url: turnTcp });
    expect(pair.remote).toEqual({ candidateType: 'relay', protocol: 'udp' });
  }
  expectCoturnRelayed(coturn);
});
