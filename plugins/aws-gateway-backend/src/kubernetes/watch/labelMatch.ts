import { LabelRequirement } from '@gateway-portal/plugin-aws-gateway-node';

/**
 * Whether an object's labels satisfy every requirement of a parsed label
 * selector, with the API server's semantics (`!=` and `notin` also match
 * objects without the label).
 */
export function labelsMatch(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return requirements.every(r => {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    const value = has ? labels[r.key] : undefined;
    switch (r.operator) {
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
      case '=':
        return value === r.value;
      case '!=':
        return value !== r.value;
      case 'in':
        return has && r.values.includes(value as string);
      default:
        return !has || !r.values.includes(value as string);
    }
  });
}
