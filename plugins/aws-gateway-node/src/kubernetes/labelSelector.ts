import {
  DNS_LABEL_MAX_LENGTH,
  isDnsSubdomain,
  isLabelValue,
} from '@gateway-portal/plugin-aws-gateway-common';

/** One requirement of a Kubernetes label selector. @public */
export type LabelRequirement =
  | { key: string; operator: 'exists' | 'doesNotExist' }
  | { key: string; operator: '=' | '!='; value: string }
  | { key: string; operator: 'in' | 'notin'; values: string[] };

/** Most requirements one selector may have (an annotation, so bounded). */
const MAX_REQUIREMENTS = 20;
const MAX_SELECTOR_LENGTH = 1024;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Whether `key` is a label key: an optional DNS-subdomain prefix and a name of at most 63 characters. */
function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= DNS_LABEL_MAX_LENGTH && LABEL_NAME.test(name);
}

/** Splits on commas outside parentheses. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
    if (depth < 0 || depth > 1) throw new Error('unbalanced parentheses');
  }
  if (depth !== 0) throw new Error('unbalanced parentheses');
  parts.push(selector.slice(start));
  return parts.map(p => p.trim());
}

function parseRequirement(text: string): LabelRequirement {
  const key = (k: string) => {
    if (!isLabelKey(k)) throw new Error(`"${k}" is not a label key`);
    return k;
  };
  const value = (v: string) => {
    if (!isLabelValue(v)) throw new Error(`"${v}" is not a label value`);
    return v;
  };
  const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text);
  if (set) {
    const values = set[3].split(',').map(v => value(v.trim()));
    return {
      key: key(set[1]),
      operator: set[2] as 'in' | 'notin',
      values,
    };
  }
  const compared = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (compared) {
    return {
      key: key(compared[1]),
      operator: compared[2] === '!=' ? '!=' : '=',
      value: value(compared[3]),
    };
  }
  if (text.startsWith('!')) {
    return { key: key(text.slice(1).trim()), operator: 'doesNotExist' };
  }
  if (text) return { key: key(text), operator: 'exists' };
  throw new Error('an empty requirement');
}

/**
 * Parses a Kubernetes label selector (`key`, `!key`, `key=value`,
 * `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, separated by
 * commas), checking every key and value against Kubernetes' rules. Throws an
 * Error saying what is wrong.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const trimmed = selector.trim();
  if (!trimmed) throw new Error('it is empty');
  if (trimmed.length > MAX_SELECTOR_LENGTH) {
    throw new Error(`it is longer than ${MAX_SELECTOR_LENGTH} characters`);
  }
  const requirements = splitRequirements(trimmed).map(parseRequirement);
  if (requirements.length > MAX_REQUIREMENTS) {
    throw new Error(`it has more than ${MAX_REQUIREMENTS} requirements`);
  }
  return requirements;
}

/**
 * The selector of parsed requirements, as the API server's `labelSelector`
 * parameter takes it: written from the parsed parts, never from the
 * annotation's text. @public
 */
export function formatLabelSelector(
  requirements: readonly LabelRequirement[],
): string {
  return requirements
    .map(r => {
      switch (r.operator) {
        case 'exists':
          return r.key;
        case 'doesNotExist':
          return `!${r.key}`;
        case '=':
        case '!=':
          return `${r.key}${r.operator}${r.value}`;
        default:
          return `${r.key} ${r.operator} (${r.values.join(',')})`;
      }
    })
    .join(',');
}
