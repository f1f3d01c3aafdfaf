/**
 * A call relayed through a real coturn (test/support/coturn.ts) with `iceTransportPolicy: 'relay'`
 * on the pages' peer connections, as a relay-only deployment would have them: an init script wraps
 * RTCPeerConnection (as recordPeerConnections does; the product has no relay-only parameter), and
 * the browser has no other policy. The pages allocate on coturn over UDP and the call goes through
 * it; with TURN broken the pages have no candidate at all and the call cannot connect.
 */
import {
  call,
  expect,
  expectCoturnRelayed,
  type SelectedPair,
  selectedPairs,
  setIceServers,
  test,
} from './turn-helpers';

test("iceTransportPolicy 'relay' on the pages' connections: the call goes through coturn over UDP", async ({
  pool,
  people,
  coturn,
}) => {
  await setIceServers(pool, coturn);
  const pages = await call(pool, people, { relayOnly: true });
  const turnUdp = `turn:127.0.0.1:${coturn.port}?transport=udp`;
  for (const page of pages) {
    const pairs = await selectedPairs(page);
    expect(pairs).toHaveLength(1);
    const [pair] = pairs as [SelectedPair];
    expect(pair.connectionState).toBe('connected');
    // Relay candidates only were offered (the policy), and the pair is coturn's UDP allocation.
    expect(pair.gathered.every((kind) => kind.startsWith('relay/'))).toBe(true);
    expect(pair.local).toMatchObject({ candidateType: 'relay', relayProtocol: 'udp', url: turnUdp });
    expect(pair.remote).toMatchObject({ candidateType: 'relay' });
  }
  expectCoturnRelayed(coturn);
});
