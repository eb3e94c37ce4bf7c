import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  isLoopbackHostname,
  parseRepositoryUrl,
  RepositoryUrl,
} from './repositoryUrl';

/**
 * Allow-lists of repository URLs, matched on parsed URLs: scheme, host and
 * port exactly, then path segment by segment. In a pattern, `*` inside a
 * segment matches within that one segment (`gitops-*`), and a final `/*`
 * matches any repository below that path (`https://git.example.com/platform/*`).
 */

/** @public */
export interface UrlPattern {
  /** The configured text, for messages. */
  text: string;
  origin: Pick<RepositoryUrl, 'protocol' | 'host' | 'hostname' | 'port'>;
  segments: RegExp[];
  /** The pattern ends in `/*`: one or more further segments match. */
  anyBelow: boolean;
}

const PATTERN_SEGMENT = /^[A-Za-z0-9._~*-]+$/;

/**
 * Parses one configured pattern; a malformed one is a configuration error
 * (thrown at startup), naming the key. http is accepted for loopback hosts
 * only (test servers).
 *
 * @public
 */
export function parseUrlPattern(text: string, key: string): UrlPattern {
  const fail = (rule: string) =>
    new Error(`Invalid configuration: ${key} "${text}" ${rule}`);
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*)(\/.*)$/.exec(text);
  if (!match)
    throw fail(
      'must be a URL with a path, e.g. https://git.example.com/platform/*',
    );
  let origin: RepositoryUrl;
  try {
    origin = parseRepositoryUrl(`${match[1]}/_`, key, {
      allowHttpLoopback: true,
    });
  } catch (error) {
    throw fail(`is not allowed: ${(error as Error).message}`);
  }
  if (origin.protocol === 'http:' && !isLoopbackHostname(origin.hostname))
    throw fail('must use https');
  const parts = match[2].split('/').slice(1);
  const anyBelow = parts[parts.length - 1] === '*';
  const fixed = anyBelow ? parts.slice(0, -1) : parts;
  if (!anyBelow && !fixed.length)
    throw fail('must name a repository or end in /*');
  for (const part of fixed) {
    if (!part || /^\.+$/.test(part) || !PATTERN_SEGMENT.test(part)) {
      throw fail(
        'must have non-empty path segments of letters, digits, ".", "_", "~", "-" and "*", without dot segments',
      );
    }
  }
  return {
    text,
    origin: {
      protocol: origin.protocol,
      host: origin.host,
      hostname: origin.hostname,
      port: origin.port,
    },
    segments: fixed.map(
      part =>
        new RegExp(`^${part.split('*').map(escapeRegExp).join('[^/]*')}$`),
    ),
    anyBelow,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a parsed URL matches a parsed pattern. @public */
export function matchesUrlPattern(
  url: RepositoryUrl,
  pattern: UrlPattern,
): boolean {
  const { origin } = pattern;
  if (
    url.protocol !== origin.protocol ||
    url.hostname !== origin.hostname ||
    url.port !== origin.port
  )
    return false;
  const count = pattern.segments.length;
  if (
    pattern.anyBelow
      ? url.segments.length <= count
      : url.segments.length !== count
  )
    return false;
  return pattern.segments.every((re, i) => re.test(url.segments[i]));
}

/** The configuration key of the GitOps repositories allow-list. */
const GITOPS_ALLOWED_REPO_URLS =
  'awsGateway.provisioning.gitops.allowedRepoUrls';

/**
 * A configured allow-list of repository URLs. `check` parses the input with
 * the one normaliser and returns the canonical URL to use from then on.
 *
 * @public
 */
export class RepositoryUrlAllowList {
  /** The GitOps repositories the portal may read and push: `awsGateway.provisioning.gitops.allowedRepoUrls`. */
  static fromGitOpsConfig(config: Config): RepositoryUrlAllowList {
    return RepositoryUrlAllowList.fromStrings(
      config.getOptionalStringArray(GITOPS_ALLOWED_REPO_URLS) ?? [],
      GITOPS_ALLOWED_REPO_URLS,
    );
  }

  static fromStrings(patterns: string[], key: string): RepositoryUrlAllowList {
    return new RepositoryUrlAllowList(
      patterns.map((p, i) => parseUrlPattern(p, `${key}[${i}]`)),
      key,
    );
  }

  private constructor(
    private readonly patterns: UrlPattern[],
    private readonly key: string,
  ) {}

  /** The hosts (name and non-default port, as RepoUrlPicker names them) the patterns allow, each once, in order. */
  hosts(): string[] {
    return [...new Set(this.patterns.map(p => p.origin.host))];
  }

  /** Parses `raw` and refuses it, naming `field` and the setting, unless a pattern allows it. */
  check(raw: unknown, field = 'repoUrl'): RepositoryUrl {
    const url = parseRepositoryUrl(raw, field, {
      allowHttpLoopback: this.patterns.some(p => p.origin.protocol === 'http:'),
    });
    return this.checkUrl(url, field);
  }

  /** Refuses an already normalised URL (built from RepoUrlPicker's parts, say) unless a pattern allows it. */
  checkUrl(url: RepositoryUrl, field = 'repoUrl'): RepositoryUrl {
    if (!this.patterns.some(p => matchesUrlPattern(url, p))) {
      throw new NotAllowedError(
        `${field}: "${url.href}" is not allowed; it must be listed in ${this.key}`,
      );
    }
    return url;
  }
}
