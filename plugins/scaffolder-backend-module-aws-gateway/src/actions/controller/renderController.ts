import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import yaml from 'yaml';
import {
  ControllerProfile,
  CONTROLLER_PROFILES,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  ControllerSetupSpec,
  GatewayGuardrails,
  manifestToYaml,
  renderControllerHelmValues,
  renderControllerManifests,
  validateControllerSetupSpec,
  validateManifests,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { CONTROLLER_RELEASE_TAG } from '../../guardrails/refusals';
import { manifestIssuesError } from '../support/manifestIssues';
import { examples } from './renderController.examples';
import { CONTROLLER_SERVICE_ACCOUNT } from '../../guardrails/settings';
import { createAwsGatewayAction } from '../support/inputDefaults';

const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
/** Oldest release with NLB Gateway API support, newest release whose CRDs and routes we know. */
export const SUPPORTED_CONTROLLER_VERSIONS = 'v2.17.0 – v3.5.x';

/**
 * The profile of a controller release: v2.17–v3.1 (Gateway API v1.3,
 * v1alpha2 L4 routes), v3.2–v3.4 (Gateway API v1.5), v3.5 (Gateway API v1.6).
 * Undefined for releases without NLB Gateway API support or newer than we know.
 */
export function profileForControllerVersion(
  version: string,
): ControllerProfile | undefined {
  const m = CONTROLLER_RELEASE_TAG.exec(version);
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 2 && minor >= 17) return CONTROLLER_PROFILES['lbc-v2.17'];
  if (major === 3 && minor <= 1) return CONTROLLER_PROFILES['lbc-v2.17'];
  if (major === 3 && minor <= 4) return CONTROLLER_PROFILES['lbc-v3.2'];
  if (major === 3 && minor === 5) return CONTROLLER_PROFILES['lbc-v3.5'];
  return undefined;
}

/** Which Gateway API CRDs the cluster needs for a profile (the NLB's L4 routes included). */
function gatewayApiCrds(profile: ControllerProfile): string {
  return profile.id === 'lbc-v3.5'
    ? `Gateway API ${profile.gatewayApiVersion} standard channel`
    : `Gateway API ${profile.gatewayApiVersion} experimental channel (L4 routes are not in the standard channel)`;
}

function issue(field: string, rule: string, message: string): ManifestIssue {
  return { field, rule, message: `${field} ${message}` };
}

/**
 * `aws-gateway:controller:render`: Helm values, GatewayClass and default
 * LoadBalancerConfiguration for the AWS Load Balancer Controller on one
 * cluster, for the controller release it will run. Every input is checked
 * against the guardrails and the rendered manifests against our rules before
 * anything is written.
 *
 * @public
 */
export function createRenderControllerAction(options: {
  awsGuardrails: AwsGuardrails;
  gatewayGuardrails: GatewayGuardrails;
}) {
  const { awsGuardrails, gatewayGuardrails } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.renderController,
    description:
      'Renders the AWS Load Balancer Controller setup of one EKS cluster into the workspace: Helm values with the feature ' +
      'gates that controller release needs, a GatewayClass for the NLB controller and the default LoadBalancerConfiguration it ' +
      'points at (with namespace, as the controller requires).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .describe(
              'EKS cluster name; must be allowed by awsGateway.provisioning.allowedClusters',
            ),
        region: z =>
          z
            .string()
            .describe(
              'AWS region of the cluster; must be allowed by awsGateway.provisioning.allowedRegions',
            ),
        accountId: z =>
          z
            .string()
            .optional()
            .describe(
              'AWS account id of the cluster (checked against allowedAccountIds and the role ARN)',
            ),
        vpcId: z =>
          z
            .string()
            .optional()
            .describe(
              'VPC of the cluster (vpc-…); the controller discovers it from instance metadata when omitted',
            ),
        controllerVersion: z =>
          z
            .string()
            .describe(
              `Controller release tag the cluster runs, ${SUPPORTED_CONTROLLER_VERSIONS} (e.g. v2.17.1, v3.5.0)`,
            ),
        serviceAccountNamespace: z =>
          z
            .string()
            .default(CONTROLLER_SERVICE_ACCOUNT.namespace)
            .describe('Namespace the controller is installed into'),
        serviceAccountName: z =>
          z
            .string()
            .default(CONTROLLER_SERVICE_ACCOUNT.name)
            .describe(
              "The controller's service account (bound to the role by EKS Pod Identity)",
            ),
        roleArn: z =>
          z
            .string()
            .optional()
            .describe(
              "The controller's IAM role, recorded in the values file for reference; Pod Identity needs no service account annotation",
            ),
        gatewayClassName: z =>
          z
            .string()
            .optional()
            .describe(
              'GatewayClass name; default from awsGateway.provisioning.gateways.gatewayClassName',
            ),
        loadBalancerConfigurationName: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of the default LoadBalancerConfiguration; default <gatewayClassName>-defaults',
            ),
        loadBalancerConfigurationNamespace: z =>
          z
            .string()
            .optional()
            .describe(
              'Its namespace (the GatewayClass parametersRef names it); default the controller namespace',
            ),
        scheme: z =>
          z
            .enum(['internal', 'internet-facing'])
            .default('internal')
            .describe(
              'Default scheme of NLBs of this class; Gateways may override it with their own LoadBalancerConfiguration',
            ),
        sourceCidrs: z =>
          z
            .array(z.string())
            .default([])
            .describe(
              'Default source CIDRs; required for internet-facing unless configuration allows 0.0.0.0/0',
            ),
        tags: z =>
          z
            .record(z.string())
            .optional()
            .describe('AWS tags on every NLB of this class'),
        outputDir: z =>
          z
            .string()
            .default('manifests')
            .describe('Workspace directory the files are written to'),
      },
      output: {
        controllerProfile: z =>
          z
            .string()
            .describe(
              'Profile the files target (lbc-v2.17, lbc-v3.2, lbc-v3.5)',
            ),
        gatewayApiCrds: z =>
          z
            .string()
            .describe('Gateway API CRDs the cluster needs for this controller'),
        routeApiVersion: z =>
          z.string().describe('apiVersion of TCPRoute for this controller'),
        featureGates: z =>
          z
            .record(z.boolean())
            .describe('controllerConfig.featureGates in the Helm values'),
        helmValuesPath: z =>
          z.string().describe('Workspace-relative path of the Helm values'),
        files: z =>
          z
            .array(z.string())
            .describe('Workspace-relative paths of the written files'),
        outputDir: z => z.string(),
        gatewayClassName: z => z.string(),
        loadBalancerConfigurationRef: z =>
          z
            .string()
            .describe(
              'namespace/name of the default LoadBalancerConfiguration',
            ),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      // Guardrails first: each throws an error naming the field and the rule.
      const clusterName = awsGuardrails.cluster('cluster', input.cluster);
      const region = awsGuardrails.region('region', input.region);
      const accountId =
        input.accountId === undefined
          ? undefined
          : awsGuardrails.accountId('accountId', input.accountId);
      const saNamespace = input.serviceAccountNamespace;
      const saName = input.serviceAccountName;
      awsGuardrails.serviceAccount('serviceAccountName', saNamespace, saName);
      if (input.roleArn !== undefined) {
        const roleAccount = input.roleArn.split(':')[4] ?? '';
        awsGuardrails.associationRoleArn(
          'roleArn',
          input.roleArn,
          accountId ?? roleAccount,
        );
      }

      const issues: ManifestIssue[] = [];
      const profile = profileForControllerVersion(input.controllerVersion);
      if (!profile) {
        issues.push(
          issue(
            'controllerVersion',
            CONTROLLER_RELEASE_TAG.test(input.controllerVersion)
              ? 'controller-version-unsupported'
              : 'controller-version',
            CONTROLLER_RELEASE_TAG.test(input.controllerVersion)
              ? `"${input.controllerVersion}" is not supported: NLB Gateway API support needs ${SUPPORTED_CONTROLLER_VERSIONS}`
              : `"${input.controllerVersion}" must be a release tag like v2.17.1`,
          ),
        );
      }
      if (input.vpcId !== undefined && !VPC_ID.test(input.vpcId)) {
        issues.push(
          issue(
            'vpcId',
            'vpc-id',
            `"${input.vpcId}" must be a VPC id like vpc-0123456789abcdef0`,
          ),
        );
      }
      const gatewayClassName =
        input.gatewayClassName ?? gatewayGuardrails.gatewayClassName;
      const lbcName =
        input.loadBalancerConfigurationName ?? `${gatewayClassName}-defaults`;
      const lbcNamespace =
        input.loadBalancerConfigurationNamespace ?? saNamespace;
      const { scheme, sourceCidrs } = input;
      const defaults = {
        name: lbcName,
        namespace: lbcNamespace,
        scheme,
        sourceCidrs,
        tags: input.tags,
      };
      // The same rules as the commit action's re-check, from their one home in the node library.
      issues.push(
        ...validateControllerSetupSpec(
          { gatewayClassName, defaults },
          { guardrails: gatewayGuardrails },
        ),
      );
      if (issues.length || !profile) {
        throw manifestIssuesError(
          `Controller setup for cluster ${clusterName} is invalid`,
          issues,
        );
      }

      const spec: ControllerSetupSpec = {
        clusterName,
        region,
        vpcId: input.vpcId,
        serviceAccount: { namespace: saNamespace, name: saName },
        gatewayClassName,
        defaults,
      };
      const rendered = renderControllerManifests(spec, profile);
      // The same rules as for hand-written manifests (GatewayClass parametersRef needs a namespace, API versions).
      const manifestIssues = validateManifests(
        rendered.map(r => r.manifest),
        { profile },
      );
      if (manifestIssues.length) {
        throw manifestIssuesError(
          'Rendered controller manifests break the controller rules',
          manifestIssues,
        );
      }
      const values = renderControllerHelmValues(spec, profile);
      const featureGates = yaml.parse(values.content).controllerConfig
        .featureGates as Record<string, boolean>;
      if (!featureGates.NLBGatewayAPI) {
        throw new InputError(
          `controllerVersion: ${profile.title} needs the NLBGatewayAPI feature gate on [nlb-feature-gate]`,
        );
      }
      const reference = [
        `# Controller release ${
          input.controllerVersion
        }; cluster ${clusterName} in ${region}${
          accountId ? ` (account ${accountId})` : ''
        }.`,
        `# Gateway API CRDs to install first: ${gatewayApiCrds(profile)}.`,
        ...(input.roleArn
          ? [
              `# IAM role (via the EKS Pod Identity association, no service account annotation): ${input.roleArn}`,
            ]
          : []),
      ].join('\n');

      let outputDir: string;
      try {
        outputDir = resolveSafeChildPath(ctx.workspacePath, input.outputDir);
      } catch {
        throw new InputError(
          `outputDir: "${input.outputDir}" must stay inside the workspace`,
        );
      }
      const relativeDir = path
        .relative(ctx.workspacePath, outputDir)
        .split(path.sep)
        .join('/');
      const files: Array<{ file: string; content: string }> = [
        { file: values.path, content: `${reference}\n${values.content}` },
        ...rendered.map(r => ({
          file: r.path,
          content: manifestToYaml(r.manifest),
        })),
      ];
      await fs.mkdir(outputDir, { recursive: true });
      for (const { file, content } of files) {
        await fs.writeFile(path.join(outputDir, file), content);
      }
      ctx.logger.info(
        `Rendered the controller setup for ${clusterName} (${
          profile.title
        }): ${files.map(f => f.file).join(', ')}`,
      );

      ctx.output('controllerProfile', profile.id);
      ctx.output('gatewayApiCrds', gatewayApiCrds(profile));
      ctx.output('routeApiVersion', profile.routeApiVersions.TCPRoute);
      ctx.output('featureGates', featureGates);
      ctx.output('helmValuesPath', path.posix.join(relativeDir, values.path));
      ctx.output(
        'files',
        files.map(f => path.posix.join(relativeDir, f.file)),
      );
      ctx.output('outputDir', relativeDir);
      ctx.output('gatewayClassName', gatewayClassName);
      ctx.output('loadBalancerConfigurationRef', `${lbcNamespace}/${lbcName}`);
    },
  });
}
