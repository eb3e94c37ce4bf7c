import { isIP } from 'node:net';
import { InputError } from '@backstage/errors';

/**
 * The one URL normaliser of the suite, for repository URLs from templates and
 * configuration: parsed with the WHATWG URL parser, then checked segment by
 * segment. Every allow-list decision, clone, push and pull request API call
 * uses the canonical `href` and `segments` it returns, never the raw string.
 */

/** A repository URL that passed every check. @public */
export interface RepositoryUrl {
  /** Canonical form: scheme, lower-case host, port only when not the default, the checked path. */
  href: string;
  protocol: 'https:' | 'http:';
  /** Host name and non-default port, as WHATWG serialises it (e.g. `git.example.com`, `127.0.0.1:3000`). */
  host: string;
  hostname: string;
  /** The effective port (443 or 80 when the URL names none). */
  port: number;
  /** Path segments, each non-empty and free of dot segments and encodings. */
  segments: string[];
}

/** @public */
export interface RepositoryUrlOptions {
  /** Plain http is refused unless this is true and the host is a loopback address (test peers). */
  allowHttpLoopback?: boolean;
}

// RFC 3986 unreserved characters only: no percent-encoding (so no `%2e`, `%2f`
// or double encoding to undo), no sub-delimiters a server might interpret.
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const MAX_LENGTH = 2048;

/** A URL for messages: no userinfo, no query or fragment, bounded length. @public */
export function redactUrl(raw: string): string {
  // By text, not through the URL parser, which would resolve the very dot segments being reported.
  const shown = String(raw)
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#\\]*@/, '$1')
    .replace(/[?#][\s\S]*$/, '');
  return JSON.stringify(
    shown.length > 200 ? `${shown.slice(0, 197)}...` : shown,
  );
}

/** Whether a parsed host name is a loopback address (localhost, 127.0.0.0/8, ::1). @public */
export function isLoopbackHostname(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIP(hostname) === 4 && hostname.split('.')[0] === '127';
}

function refuse(field: string, raw: string, rule: string): InputError {
  return new InputError(`${field}: ${redactUrl(raw)} ${rule}`);
}

/**
 * Parses and checks a repository URL. Refuses, naming `field` and the rule:
 * anything but https (http only on loopback when allowed), userinfo, query,
 * fragment, backslashes, non-ASCII or control characters, percent-encoding,
 * dot segments and empty segments (a trailing slash included).
 *
 * @public
 */
export function parseRepositoryUrl(
  raw: unknown,
  field = 'repoUrl',
  options: RepositoryUrlOptions = {},
): RepositoryUrl {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new InputError(`${field}: must be a URL string`);
  }
  const { path, authority } = checkRawShape(raw, field);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(
      field,
      raw,
      "is not a URL; give the repository's https clone URL",
    );
  }
  const protocol = url.protocol;
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw refuse(
      field,
      raw,
      `must use https (got ${protocol.replace(':', '')})`,
    );
  }
  if (
    protocol === 'http:' &&
    !(options.allowHttpLoopback && isLoopbackHostname(url.hostname))
  ) {
    throw refuse(
      field,
      raw,
      'must use https (plain http only for loopback test servers)',
    );
  }
  if (authority.includes('@') || url.username || url.password) {
    throw new InputError(
      `${field} must not contain credentials; they come from the SCM integrations in app-config`,
    );
  }
  const segments = path.split('/').slice(1);
  for (const segment of segments) checkSegment(segment, field, raw);
  // The parser must agree with our own reading: nothing resolved or re-encoded.
  if (url.pathname !== path) {
    throw refuse(
      field,
      raw,
      'has a path the URL parser reads differently; give a plain path',
    );
  }
  const defaultPort = protocol === 'https:' ? 443 : 80;
  const port = url.port ? Number(url.port) : defaultPort;
  return {
    href: `${protocol}//${url.host}${path}`,
    protocol,
    host: url.host,
    hostname: url.hostname,
    port,
    segments,
  };
}

/** Characters and shape checked on the raw text, before the parser resolves anything. */
function checkRawShape(
  raw: string,
  field: string,
): { path: string; authority: string } {
  if (raw.length > MAX_LENGTH)
    throw new InputError(`${field}: longer than ${MAX_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[^\x21-\x7e]/.test(raw)) {
    throw refuse(
      field,
      raw,
      'must be printable ASCII without spaces (use the punycode form of a host name)',
    );
  }
  if (raw.includes('\\'))
    throw refuse(field, raw, 'must not contain backslashes');
  if (raw.includes('?') || raw.includes('#'))
    throw refuse(field, raw, 'must not have a query or a fragment');
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(raw);
  if (!scheme)
    throw refuse(
      field,
      raw,
      'is not an absolute URL like https://git.example.com/org/repo.git',
    );
  const rest = raw.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (!path || path === '/')
    throw refuse(field, raw, 'must name a repository path');
  return { path, authority };
}

function checkSegment(segment: string, field: string, raw: string) {
  if (segment === '')
    throw refuse(
      field,
      raw,
      'must not have empty path segments ("//" or a trailing "/")',
    );
  if (/^\.+$/.test(segment))
    throw refuse(field, raw, 'must not have dot segments ("." or "..")');
  if (segment.includes('%'))
    throw refuse(field, raw, 'must not percent-encode its path');
  if (!SEGMENT.test(segment)) {
    throw refuse(
      field,
      raw,
      'path segments may only hold letters, digits, ".", "_", "~" and "-"',
    );
  }
}

/** The segments of `url` below `base` (same scheme, host and port), or undefined when it is not below it. @public */
export function segmentsBelow(
  url: RepositoryUrl,
  base: RepositoryUrl,
): string[] | undefined {
  if (
    url.protocol !== base.protocol ||
    url.hostname !== base.hostname ||
    url.port !== base.port
  )
    return undefined;
  if (url.segments.length <= base.segments.length) return undefined;
  if (!base.segments.every((s, i) => url.segments[i] === s)) return undefined;
  return url.segments.slice(base.segments.length);
}

/** An integration's base URL (may be just a host, may end in "/"), normalised like a repository URL. @public */
export function parseBaseUrl(
  raw: string,
  field: string,
  options: RepositoryUrlOptions = {},
): RepositoryUrl {
  const trimmed = raw.replace(/\/+$/, '');
  const root = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*$/.test(trimmed);
  // A host-only base has no segments; parse it with a placeholder segment and drop it.
  const parsed = parseRepositoryUrl(
    root ? `${trimmed}/_` : trimmed,
    field,
    options,
  );
  return root
    ? { ...parsed, segments: [], href: `${parsed.protocol}//${parsed.host}` }
    : parsed;
}

/** A repository path without the `.git` suffix of its last segment (the forge APIs' owner/repo form). @public */
export function repositoryPath(segments: string[]): string[] {
  if (!segments.length) return segments;
  const last = segments[segments.length - 1].replace(/\.git$/, '');
  return last ? [...segments.slice(0, -1), last] : segments.slice(0, -1);
}
