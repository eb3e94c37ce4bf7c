import { InputError } from '@backstage/errors';
import { controllerTargetPath } from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  ControllerSetupSpec,
  manifestToYaml,
  renderControllerHelmValues,
  renderControllerManifests,
  validateControllerSetupSpec,
} from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import {
  BundleFile,
  BundleGuardrails,
  checkIssues,
  HELM_VALUES_FILE,
  matchProfile,
  only,
  Parsed,
  refuse,
  RenderedBundle,
} from './bundleChecks';

/** A controller setup's files: Helm values, GatewayClass and default LoadBalancerConfiguration, rendered again. */

export function verifyControllerBundle(
  files: BundleFile[],
  manifests: Parsed,
  valuesFile: BundleFile | undefined,
  { gatewayGuardrails, awsGuardrails }: BundleGuardrails,
): RenderedBundle {
  const what = 'a controller setup';
  if (!valuesFile)
    throw new InputError(
      `files: ${what} has the Helm values file ${HELM_VALUES_FILE} [not-rendered]`,
    );
  const gatewayClass = only(manifests, 'GatewayClass', what).manifest;
  const lbc = only(manifests, 'LoadBalancerConfiguration', what).manifest;
  let values: any;
  try {
    values = yaml.parse(valuesFile.content, { maxAliasCount: 0 });
  } catch {
    throw refuse(
      valuesFile.name,
      'not-rendered',
      'is not YAML without aliases',
    );
  }
  const namespace =
    /^# Install into namespace ([a-z0-9-]+);/m.exec(valuesFile.content)?.[1] ??
    '';
  const spec: ControllerSetupSpec = {
    clusterName: String(values?.clusterName ?? ''),
    region: String(values?.region ?? ''),
    ...(values?.vpcId !== undefined ? { vpcId: String(values.vpcId) } : {}),
    serviceAccount: {
      namespace,
      name: String(values?.serviceAccount?.name ?? ''),
    },
    gatewayClassName: gatewayClass.metadata.name,
    defaults: {
      name: lbc.metadata.name,
      namespace: lbc.metadata.namespace ?? '',
      scheme: lbc.spec?.scheme,
      sourceCidrs: Array.isArray(lbc.spec?.sourceRanges)
        ? lbc.spec.sourceRanges
        : [],
      ...(lbc.spec?.tags ? { tags: lbc.spec.tags } : {}),
    },
  };
  const subject = `controller setup of cluster ${spec.clusterName}`;
  // The guardrails of the controller render action: AWS ones, then the shared manifest rules.
  awsGuardrails.cluster('clusterName', spec.clusterName);
  awsGuardrails.region('region', spec.region);
  awsGuardrails.serviceAccount(
    'serviceAccount',
    namespace,
    spec.serviceAccount.name,
  );
  checkIssues(
    `The ${subject} breaks the guardrails`,
    validateControllerSetupSpec(spec, { guardrails: gatewayGuardrails }),
  );
  const { profile, difference } = matchProfile(
    files,
    p =>
      new Map([
        ...renderControllerManifests(spec, p).map(
          r => [r.path, manifestToYaml(r.manifest)] as [string, string],
        ),
        [HELM_VALUES_FILE, renderControllerHelmValues(spec, p).content],
      ]),
    // The render action puts comment lines (release, account, role) before the values; nothing else may differ.
    (name, given, rendered) =>
      name === HELM_VALUES_FILE
        ? given.endsWith(rendered) &&
          given
            .slice(0, given.length - rendered.length)
            .split('\n')
            .every(l => l === '' || l.startsWith('#'))
        : given === rendered,
  );
  if (!profile) {
    throw refuse(
      difference!,
      'not-rendered',
      `is not what ${AWS_GATEWAY_ACTION_ID.renderController} renders for the ${subject} (added, changed or missing)`,
    );
  }
  return {
    kind: 'controller',
    subject,
    targetPath: controllerTargetPath(spec.clusterName),
    profile,
    files,
  };
}
