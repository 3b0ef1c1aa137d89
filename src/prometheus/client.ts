// Asks a Prometheus server for a range query over HTTP(S): credentials from environment variables (a bearer token,
// or basic auth), an optional CA file for a server with a private certificate, and a timeout. node:http(s) rather
// than fetch, because fetch takes no CA. An unreachable server, a timeout, or an answer that is not JSON becomes a
// PrometheusError; what Prometheus said about the query is parsed by parseQueryRange. Credentials are only ever
// read here, and never leave the request.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { parseQueryRange, PrometheusError, type RangeResult } from './query-range.js';

export interface PrometheusAccess {
  /** Base URL of the server (http or https), possibly with a path prefix (https://host/prometheus). */
  url: string;
  /** Name of the environment variable holding a bearer token. */
  bearerTokenEnv?: string;
  /** Names of the environment variables holding the basic-auth user and password. */
  basicAuth?: { userEnv: string; passwordEnv: string };
  /** PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  /** Skip TLS verification (a test server only). */
  insecure?: boolean;
  timeoutMs: number;
  /** Extra HTTP headers (e.g. X-Scope-OrgID for Mimir/Cortex/Thanos tenants). */
  headers?: Record<string, string>;
}

export interface RangeQuery {
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  stepSeconds: number;
}

/** Runs one range query; throws a PrometheusError naming what went wrong. */
export async function queryRange(access: PrometheusAccess, q: RangeQuery, env: NodeJS.ProcessEnv): Promise<RangeResult> {
  const base = access.url.endsWith('/') ? access.url : `${access.url}/`;
  const url = new URL('api/v1/query_range', base);
  // POST with a form body, as Grafana does: long PromQL does not hit URL length limits.
  const form = new URLSearchParams({ query: q.query, start: String(q.start), end: String(q.end), step: `${q.stepSeconds}s` }).toString();
  const headers: Record<string, string> = {
    ...(access.headers ?? {}),
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(form)),
    accept: 'application/json',
  };
  const auth = authorization(access, env);
  if (auth) headers.authorization = auth;
  const { status, text } = await send(url, form, headers, access);
  if (status === 401 || status === 403) {
    throw new PrometheusError(`${url.origin} answered HTTP ${status}: check the credentials (${authWhere(access)})`, 'unauthorized', status);
  }
  return parseQueryRange(status, text);
}

/** The Authorization header, from the variables the config names; an unset variable is an error, not anonymity. */
export function authorization(access: PrometheusAccess, env: NodeJS.ProcessEnv): string | undefined {
  if (access.bearerTokenEnv) {
    const token = env[access.bearerTokenEnv];
    if (!token) throw new PrometheusError(`the bearer token variable ${access.bearerTokenEnv} is not set or empty`, 'unauthorized', null);
    return `Bearer ${token}`;
  }
  if (access.basicAuth) {
    const user = env[access.basicAuth.userEnv];
    const password = env[access.basicAuth.passwordEnv];
    if (user === undefined || password === undefined) {
      const missing = [user === undefined ? access.basicAuth.userEnv : '', password === undefined ? access.basicAuth.passwordEnv : ''].filter(Boolean);
      throw new PrometheusError(`basic auth needs the variable(s) ${missing.join(' and ')}, which are not set`, 'unauthorized', null);
    }
    return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return undefined;
}

function authWhere(access: PrometheusAccess): string {
  if (access.bearerTokenEnv) return `bearer token from ${access.bearerTokenEnv}`;
  if (access.basicAuth) return `basic auth from ${access.basicAuth.userEnv}/${access.basicAuth.passwordEnv}`;
  return 'no credentials were sent: set prometheus.bearer-token-env or prometheus.basic-auth';
}

function send(url: URL, body: string, headers: Record<string, string>, access: PrometheusAccess): Promise<{ status: number; text: string }> {
  const https = url.protocol === 'https:';
  let ca: Buffer | undefined;
  if (access.caFile) {
    try {
      ca = readFileSync(access.caFile);
    } catch (e) {
      throw new PrometheusError(`the CA file ${access.caFile} could not be read: ${(e as Error).message}`, 'unreachable', null);
    }
  }
  const options = { method: 'POST', headers, timeout: access.timeoutMs, ...(https ? { ...(ca ? { ca } : {}), rejectUnauthorized: access.insecure !== true } : {}) };
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(unreachable(url, e)));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${access.timeoutMs} ms (prometheus.timeout)`)));
    req.on('error', (e) => reject(unreachable(url, e)));
    req.end(body);
  });
}

function unreachable(url: URL, e: Error): PrometheusError {
  const code = (e as NodeJS.ErrnoException).code;
  return new PrometheusError(`Prometheus at ${url.origin} is unreachable: ${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`, 'unreachable', null);
}
