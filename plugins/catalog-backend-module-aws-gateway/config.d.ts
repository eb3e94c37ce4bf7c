import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  awsGateway?: {
    /**
     * The catalog module that publishes each NLB Gateway (GatewayClass
     * controller `gateway.k8s.aws/nlb`) of every cluster as a catalog
     * Resource of type `aws-nlb-endpoint`.
     */
    catalog?: {
      /**
       * How often every cluster is read. Default: every 2 minutes, at most
       * 1 minute per run. The scheduler runs it on one replica at a time.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Owner of a Resource whose Gateway names no component it may claim
       * (none, one that does not exist, or one of another team under
       * awsGateway.status.namespaceOwners). Default: group:default/platform.
       */
      defaultOwner?: string;
    };
  };
}
