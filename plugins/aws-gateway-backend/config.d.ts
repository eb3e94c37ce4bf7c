export interface Config {
  awsGateway?: {
    /** Gateway status on the entity page (backend only; nothing here reaches the browser). */
    status?: {
      /**
       * How long a gateway status answer is reused, in seconds. Every request
       * is still authorized for its user before a cached answer is served.
       * Default 15; 0 disables caching (concurrent requests are still coalesced).
       */
      cacheTtlSeconds?: number;
      /** Timeout of each Kubernetes API call, in seconds. Default 10. */
      kubernetesTimeoutSeconds?: number;
      /**
       * AWS region searched when a Gateway's status carries no load balancer
       * ARN (tag and DNS-name lookups), for clusters not listed below whose URL
       * is not an EKS endpoint.
       */
      region?: string;
      /**
       * Per-cluster AWS location, keyed by the cluster name used in
       * kubernetes.clusterLocatorMethods.
       */
      clusters?: Array<{
        /** Cluster name as configured for the Kubernetes plugin. */
        name: string;
        /** AWS account of the cluster's load balancers (an account of the aws integration). */
        accountId?: string;
        /** AWS region of the cluster's load balancers. */
        region?: string;
        /** The AWS Load Balancer Controller's --cluster-name, used in its tags. Defaults to `name`. */
        controllerClusterName?: string;
      }>;
    };
  };
}
