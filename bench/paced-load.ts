/**
 * An open-loop load at a steady rate: request i is due at start + i / rate, whatever the answers
 * before it, and its latency counts from that due time (so a slow server or a late generator is
 * charged, never hidden). autocannon cannot do this: its `overallRate` gives each connection a quota
 * per second, which it spends back to back at the start of every second (mcollina/autocannon#174),
 * so "200 req/s" arrives as a burst of 200 followed by silence.
 */
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './bench-support';

export interface PacedLoadOptions {
  baseUrl: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body of the i-th request. */
  body: (i: number) => string;
  ratePerSecond: number;
  durationSeconds: number;
  expectedStatus: number;
  /** Sockets kept alive towards the server; a request finding them all busy waits (and that wait counts). */
  maxSockets: number;
  timeoutMs: number;
  /** Every answer's status and body, expected or not (errors and timeouts are only counted). */
  onAnswer?: (status: number, body: string) => void;
}

export interface PacedLoadResult {
  sent: number;
  /** Answers with the expected status. */
  ok: number;
  /** Answers with another status, by status. */
  otherStatuses: Record<number, number>;
  /** Connection errors and timeouts. */
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** How late the generator itself sent its most delayed request (already included in the latencies). */
  maxSendLagMs: number;
  durationSeconds: number;
}

const IDLE_SOCKET_TIMEOUT_MS = 4_000;

export function runPacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  // Idle sockets are closed before the server's keep-alive timeout (Node's default: 5 s), so a
  // request never goes out on a socket the server is closing (an ECONNRESET of the client's making).
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets, timeout: IDLE_SOCKET_TIMEOUT_MS });
  const url = new URL(options.path, options.baseUrl);
  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const intervalMs = 1000 / options.ratePerSecond;
  const latencies = new Float64Array(total);
  const otherStatuses: Record<number, number> = {};
  let recorded = 0;
  let ok = 0;
  let errors = 0;
  let sent = 0;
  let settled = 0;
  let maxSendLagMs = 0;

  return new Promise((resolve) => {
    const start = performance.now();

    const finish = () => {
      agent.destroy();
      const answered = latencies.subarray(0, recorded);
      resolve({
        sent,
        ok,
        otherStatuses,
        errors,
        latencyMs: {
          p50: percentile(answered, 0.5),
          p90: percentile(answered, 0.9),
          p99: percentile(answered, 0.99),
          max: percentile(answered, 1),
        },
        maxSendLagMs,
        durationSeconds: (performance.now() - start) / 1000,
      });
    };

    const settle = () => {
      settled++;
      if (settled === total) finish();
    };

    const send = (i: number, dueAt: number) => {
      const body = options.body(i);
      // Each request settles once, whichever of its answer, its error or its timeout comes first.
      let over = false;
      const fail = () => {
        if (over) return;
        over = true;
        errors++;
        settle();
      };
      const req = http.request(url, {
        agent,
        method: options.method,
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        timeout: options.timeoutMs,
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          if (over) return;
          over = true;
          const status = res.statusCode ?? 0;
          // Every answer's latency is kept, errors included: a fast failure must not look good.
          latencies[recorded++] = performance.now() - dueAt;
          if (status === options.expectedStatus) ok++;
          else otherStatuses[status] = (otherStatuses[status] ?? 0) + 1;
          options.onAnswer?.(status, Buffer.concat(chunks).toString('utf8'));
          settle();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', fail);
      req.end(body);
    };

    const tick = () => {
      const now = performance.now();
      while (sent < total) {
        const dueAt = start + sent * intervalMs;
        if (dueAt > now) break;
        maxSendLagMs = Math.max(maxSendLagMs, now - dueAt);
        send(sent, dueAt);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
}
