import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  DefaultAwsClientFactory,
  KubernetesPluginClusters,
  GitOpsRepository,
  readGatewayGuardrails,
  readSharedGateways,
} from '@gateway-portal/plugin-aws-gateway-node';
import { createGitOpsCheckAction } from './actions/gitops/gitopsCheck';
import { createGitOpsCommitAction } from './actions/gitops/gitopsCommit';
import { createPlanEndpointChangeAction } from './actions/endpoint/planEndpointChange';
import { createPlanEndpointRemovalAction } from './actions/endpoint/planEndpointRemoval';
import { readGitOpsSettings } from './actions/gitops/gitopsSettings';
import { createRenderEndpointAction } from './actions/endpoint/renderEndpoint';
import { createSharedListenerAction } from './actions/endpoint/sharedListener';
import { createChangeSharedListenerAction } from './actions/endpoint/changeSharedListener';
import { createRemoveSharedListenerAction } from './actions/endpoint/removeSharedListener';
import { createLocateEndpointAction } from './actions/endpoint/locateEndpoint';
import { InitiatorOwnership } from './actions/support/initiatorOwnership';
import { readAwsRequestTimeoutMs } from './aws/awsCallSettings';
import {
  createFetchIamPolicyAction,
  readFetchIamPolicySettings,
} from './actions/controller/fetchIamPolicy';
import { createPlanControllerSetupAction } from './actions/controller/planControllerSetup';
import { createRenderControllerAction } from './actions/controller/renderController';
import { createEnsurePodIdentityAssociationAction } from './actions/eks/ensurePodIdentityAssociation';
import { createEnsurePodIdentityRoleAction } from './actions/iam/ensurePodIdentityRole';
import { createEnsurePolicyAction } from './actions/iam/ensurePolicy';
import { AwsGuardrails } from './guardrails/awsGuardrails';

/**
 * Scaffolder actions for AWS gateways.
 *
 * @public
 */
export const scaffolderModuleAwsGateway = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-gateway',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        userInfo,
        discovery,
        auth,
        urlReader,
        catalog,
      }) {
        // Read once at startup: a malformed guardrail fails the backend, not a task.
        const guardrails = readGatewayGuardrails(config);
        // The Kubernetes plugin's clusters, through its HTTP API.
        const clusters = KubernetesPluginClusters.create({
          discovery,
          auth,
          logger,
        });
        const awsGuardrails = AwsGuardrails.fromConfig(config);
        const awsClients = DefaultAwsClientFactory.fromConfig(config, {
          requestTimeoutMs: readAwsRequestTimeoutMs(config),
        });
        const repository = GitOpsRepository.fromConfig(config);
        const gitopsSettings = readGitOpsSettings(config);
        const ownership = InitiatorOwnership.fromConfig(config, {
          userInfo,
          catalog,
        });
        const sharedGateways = readSharedGateways(config);
        const sharedListenerDeps = {
          sharedGateways,
          repository,
          settings: gitopsSettings,
          guardrails,
          clusters,
          ownership,
        };
        scaffolder.addActions(
          createRenderEndpointAction({ guardrails, clusters, ownership }),
          createGitOpsCheckAction({ repository, settings: gitopsSettings }),
          createSharedListenerAction(sharedListenerDeps),
          createChangeSharedListenerAction(sharedListenerDeps),
          createRemoveSharedListenerAction(sharedListenerDeps),
          createLocateEndpointAction({
            sharedGateways,
            repository,
            settings: gitopsSettings,
          }),
          createGitOpsCommitAction({
            repository,
            settings: gitopsSettings,
            guardrails: { gatewayGuardrails: guardrails, awsGuardrails },
            ownership,
          }),
          createPlanEndpointChangeAction({
            repository,
            settings: gitopsSettings,
            guardrails,
            ownership,
          }),
          createPlanEndpointRemovalAction({
            repository,
            settings: gitopsSettings,
            ownership,
          }),
          createFetchIamPolicyAction({
            guardrails: awsGuardrails,
            reader: urlReader,
            settings: readFetchIamPolicySettings(config),
          }),
          createEnsurePolicyAction({ awsClients, guardrails: awsGuardrails }),
          createEnsurePodIdentityRoleAction({
            awsClients,
            guardrails: awsGuardrails,
          }),
          createEnsurePodIdentityAssociationAction({
            awsClients,
            guardrails: awsGuardrails,
          }),
          createRenderControllerAction({
            awsGuardrails,
            gatewayGuardrails: guardrails,
          }),
          createPlanControllerSetupAction({
            awsClients,
            guardrails: awsGuardrails,
          }),
        );
      },
    });
  },
});
