import path from 'node:path';
import { InputError } from '@backstage/errors';
import yaml from 'yaml';
import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  ControllerSetupSpec,
  GatewayGuardrails,
  manifestToYaml,
  RenderedFile,
  renderControllerHelmValues,
  renderControllerManifests,
  validateControllerSetupSpec,
  validateManifests,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { manifestIssuesError } from '../support/manifestIssues';
import { helmValuesHeader, writeWorkspaceFiles } from './controllerFiles';
import { checkControllerAwsInputs, vpcIdIssue } from './controllerInputs';
import {
  gatewayApiCrds,
  profileForControllerVersion,
  SUPPORTED_CONTROLLER_VERSIONS,
  unsupportedControllerVersionIssue,
} from './controllerRelease';
import { examples } from './renderController.examples';
import { CONTROLLER_SERVICE_ACCOUNT } from '../../guardrails/settings';
import { createAwsGatewayAction } from '../support/inputDefaults';

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
      const { clusterName, region, accountId } = checkControllerAwsInputs(
        awsGuardrails,
        input,
      );
      const saNamespace = input.serviceAccountNamespace;
      const saName = input.serviceAccountName;

      const issues: ManifestIssue[] = [];
      const profile = profileForControllerVersion(input.controllerVersion);
      if (!profile) {
        issues.push(unsupportedControllerVersionIssue(input.controllerVersion));
      }
      const vpcIssue = vpcIdIssue(input.vpcId);
      if (vpcIssue) issues.push(vpcIssue);
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
      const header = helmValuesHeader({
        controllerVersion: input.controllerVersion,
        clusterName,
        region,
        accountId,
        profile,
        roleArn: input.roleArn,
      });
      const files: RenderedFile[] = [
        { path: values.path, content: `${header}\n${values.content}` },
        ...rendered.map(r => ({
          path: r.path,
          content: manifestToYaml(r.manifest),
        })),
      ];
      const relativeDir = await writeWorkspaceFiles(
        ctx.workspacePath,
        input.outputDir,
        files,
      );
      ctx.logger.info(
        `Rendered the controller setup for ${clusterName} (${
          profile.title
        }): ${files.map(f => f.path).join(', ')}`,
      );

      ctx.output('controllerProfile', profile.id);
      ctx.output('gatewayApiCrds', gatewayApiCrds(profile));
      ctx.output('routeApiVersion', profile.routeApiVersions.TCPRoute);
      ctx.output('featureGates', featureGates);
      ctx.output('helmValuesPath', path.posix.join(relativeDir, values.path));
      ctx.output(
        'files',
        files.map(f => path.posix.join(relativeDir, f.path)),
      );
      ctx.output('outputDir', relativeDir);
      ctx.output('gatewayClassName', gatewayClassName);
      ctx.output('loadBalancerConfigurationRef', `${lbcNamespace}/${lbcName}`);
    },
  });
}
