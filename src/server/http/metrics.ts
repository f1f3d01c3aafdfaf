/**
 * Prometheus metrics (prom-client), on their own port (metrics-server.ts). Labels never carry
 * personal data: routes are the router's patterns (`/api/v1/participants/:id/chat`), never paths.
 * Every series carries the label `node` (NODE_NAME) when it is given, so nodes can be told apart.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { buildInfo } from '../entry/build-info';

export interface LiveCounts {
  meetings: number;
  inMeeting: number;
  inLobby: number;
  streams: number;
}

export interface Metrics {
  registry: Registry;
  request(route: string, method: string, status: number, seconds: number): void;
  telemetryStored(stored: number, duplicates: number): void;
  telemetryRefused(reason: string): void;
  storeError(): void;
  /** Where the live-meeting gauges read from (set by the app). */
  watchLive(read: () => LiveCounts | Promise<LiveCounts>): void;
}

export function createMetrics(options: { nodeName?: string } = {}): Metrics {
  const registry = new Registry();
  if (options.nodeName) registry.setDefaultLabels({ node: options.nodeName });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'meet_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'meet_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const telemetry = new Counter({
    name: 'meet_telemetry_events_total',
    help: 'Telemetry events taken by the ingest: stored, or duplicates of stored ones',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'meet_telemetry_batches_refused_total',
    help: 'Telemetry batches refused, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  // `node` is NODE_NAME on every series, so Node's own version is `node_version`.
  const build = buildInfo();
  new Gauge({
    name: 'meet_build_info',
    help: 'The running build: package version, commit it was built from (unknown if not stamped), Node version; always 1',
    labelNames: ['version', 'commit', 'node_version'],
    registers: [registry],
  }).set({ version: build.version, commit: build.commit ?? 'unknown', node_version: build.node }, 1);
  const storeErrors = new Counter({
    name: 'meet_store_errors_total',
    help: 'Errors raised by the store (SQLite or PostgreSQL, unreachable included) while answering',
    registers: [registry],
  });
  let readLive: () => LiveCounts | Promise<LiveCounts> = () => ({ meetings: 0, inMeeting: 0, inLobby: 0, streams: 0 });
  // One read per scrape for the three gauges (with PostgreSQL it is a query), and a scrape while
  // the store cannot be read shows the last figures instead of failing: the error is counted.
  let last: LiveCounts = { meetings: 0, inMeeting: 0, inLobby: 0, streams: 0 };
  let pending: { at: number; counts: Promise<LiveCounts> } | undefined;
  const liveNow = (): Promise<LiveCounts> => {
    if (!pending || Date.now() - pending.at > 1000) {
      const counts = Promise.resolve()
        .then(() => readLive())
        .then(
          (read) => {
            last = read;
            return read;
          },
          () => {
            storeErrors.inc();
            return last;
          },
        );
      pending = { at: Date.now(), counts };
    }
    return pending.counts;
  };
  new Gauge({
    name: 'meet_event_streams_open',
    help: 'Open participant event streams (SSE)',
    registers: [registry],
    async collect() {
      this.set((await liveNow()).streams);
    },
  });
  new Gauge({
    name: 'meet_live_meetings',
    help: 'Meetings with someone in them or in their lobby',
    registers: [registry],
    async collect() {
      this.set((await liveNow()).meetings);
    },
  });
  new Gauge({
    name: 'meet_live_participants',
    help: 'Participants of live meetings, by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const live = await liveNow();
      this.set({ state: 'in-meeting' }, live.inMeeting);
      this.set({ state: 'lobby' }, live.inLobby);
    },
  });
  return {
    registry,
    request(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    telemetryStored(stored, duplicates) {
      if (stored) telemetry.inc({ outcome: 'stored' }, stored);
      if (duplicates) telemetry.inc({ outcome: 'duplicate' }, duplicates);
    },
    telemetryRefused: (reason) => refused.inc({ reason }),
    storeError: () => storeErrors.inc(),
    watchLive(read) {
      readLive = read;
    },
  };
}
