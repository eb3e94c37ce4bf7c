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
      /** Timeout of each Kubernetes API call, in seconds; the call's socket is closed when it passes. Default 10. */
      kubernetesTimeoutSeconds?: number;
      /** Deadline of each AWS call, retries included, in seconds. Default 10. */
      awsTimeoutSeconds?: number;
      /**
       * Most Gateways read for one entity (its annotation's references, or
       * those its kubernetes-id selects); more is an error and nothing is read.
       * Default 25.
       */
      maxGatewaysPerEntity?: number;
      /** Most target groups (and TargetGroupBindings) read per Gateway. Default 20. */
      maxTargetGroupsPerGateway?: number;
      /**
       * Most Kubernetes API calls in flight per cluster (and AWS calls per
       * account and region), shared by all requests. Default 32: a status read
       * sends its AWS calls at once, one round trip (for 10 Gateways with one
       * target group each: 23 ELBv2 calls), and a cold cluster's watches list
       * at once; it stays under ELBv2's burst of 40 Describe calls per account
       * and region. The rate is bounded by the status cache and the refresh
       * limits, not by this; a throttled answer makes the service serve what
       * it knows for a while (shared with the controller: the portal yields).
       */
      maxConcurrentCallsPerCluster?: number;
      /**
       * Namespaces whose Gateways belong to whatever the listed owners own,
       * and to nothing else (their `aws-gateway.io/entity-ref` annotations
       * cannot link another owner's entity). In namespaces not listed, a
       * Gateway is shown for an entity only when that annotation names it.
       */
      namespaceOwners?: Array<{
        /** Cluster name as configured for the Kubernetes plugin; every cluster when absent. */
        cluster?: string;
        namespace: string;
        /** Entity refs of owners, e.g. group:default/team-a (kind defaults to group). */
        owners: string[];
      }>;
      /**
       * Longest a status request may take, in milliseconds, catalog and
       * permission lookups included. When Kubernetes or AWS do not answer in
       * time, the last known answer is served marked stale (and the read
       * goes on in the background); without one the request fails with 503.
       * Default 4000; at least 100.
       */
      requestDeadlineMs?: number;
      /**
       * Longest a read of the shared cache (Redis) may take, in milliseconds,
       * before it counts as a miss; writes never delay an answer. Default
       * 250; at least 10.
       */
      cacheTimeoutMs?: number;
      /**
       * How old, in seconds, a last known answer may be and still be served
       * (marked stale, with its age and the reason) when a fresh read fails
       * or is late. Default 900.
       */
      staleMaxAgeSeconds?: number;
      /** Limits on `?refresh=true`, which bypasses the cache. */
      refresh?: {
        /**
         * A refresh is honoured at most once per entity per this many
         * seconds, across all replicas (the mark lives in the shared cache).
         * Default 30; 0 disables the limit.
         */
        minIntervalSeconds?: number;
        /** Refreshes one user may trigger per minute, per replica. Default 10; 0 disables the limit. */
        perUserPerMinute?: number;
      };
      /**
       * How long, in seconds, each replica reuses what it read of a
       * Gateway's load balancer that only changes when the controller
       * reconciles (the load balancer and its tag verdict, listeners, target
       * groups), so that a status read asks AWS only for target health. An
       * entry is used only while the Gateway, its routes, bindings and
       * configurations are unchanged and reconciled; a change made in AWS
       * out of band (a listener deleted, tags changed) shows within this
       * bound. Default 60; 0 reads everything on every read.
       */
      structureMaxAgeSeconds?: number;
      /**
       * A refresh (`?refresh=true`, the card's refresh button) reads again
       * the load-balancer structure older than this many seconds. Default 10.
       */
      structureRefreshAfterSeconds?: number;
      /**
       * The watch cache: per cluster, watches (through the Kubernetes
       * plugin's proxy) keep the Gateways, routes, TargetGroupBindings,
       * configurations, EndpointSlices, Services and the card's Events (those
       * about these kinds only) a status read needs, so a warm read makes no
       * Kubernetes call; a change seen there refreshes the entity's answer
       * and signals its card. Started on a cluster's first read; whatever it
       * cannot answer is read directly.
       */
      watch?: {
        /** Default true; false reads every cluster directly and sends no signals. */
        enabled?: boolean;
        /** Clusters watched at once; further clusters are read directly. Default 20. */
        maxClusters?: number;
        /** Objects held per cluster; beyond, the cluster is read directly for 10 minutes. Default 20000. */
        maxObjectsPerCluster?: number;
        /** A cluster no read asked for during this many seconds stops being watched. Default 900. */
        idleStopSeconds?: number;
        /** Every this many seconds each watched list is read again in full. Default 600. */
        resyncSeconds?: number;
        /**
         * How long one watch request stays open (the API server ends it, and
         * it is ended here when it stays silent twice as long, at most 30 s
         * more: a proxy that lost its upstream). Default 300.
         */
        watchTimeoutSeconds?: number;
        /**
         * How long a read of a cluster whose watches have not listed yet (a
         * cold process, or the cluster's first read) waits for those first
         * lists, made at once, before reading the cluster directly; at most
         * half the time left before the request's deadline (the direct reads
         * and AWS need the rest). 0 does not wait. Default 2.
         */
        firstSyncWaitSeconds?: number;
        /**
         * Longest wait before a failed or refused (RBAC) list or watch is
         * asked again (the delay doubles from 1 s up to this, ±20 %); also
         * how long the events watch stays on core events before asking
         * events.k8s.io again after its watch was refused. A grant added
         * later is picked up within 1.2 times this, without a restart.
         * Default 60.
         */
        retryMaxSeconds?: number;
      };
      /**
       * AWS region searched when a Gateway's status carries no load balancer
       * ARN (tag and DNS-name lookups), for clusters not listed below.
       */
      region?: string;
      /**
       * Per-cluster AWS location, keyed by the name of one of the Kubernetes
       * plugin's clusters (any locator: config, catalog, gke, custom).
       */
      clusters?: Array<{
        /** Cluster name as configured for the Kubernetes plugin. */
        name: string;
        /**
         * AWS account of the cluster's load balancers (an account of the aws
         * integration). ARNs read from the cluster must be in it.
         */
        accountId?: string;
        /** AWS region of the cluster's load balancers. ARNs read from the cluster must be in it (and its partition). */
        region?: string;
        /** The AWS Load Balancer Controller's --cluster-name, used in its tags. Defaults to `name`. */
        controllerClusterName?: string;
      }>;
    };
  };
}
