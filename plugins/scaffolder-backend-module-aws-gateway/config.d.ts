export interface Config {
  awsGateway?: {
    /**
     * Guardrails for the provisioning actions, enforced on the server for
     * every task whatever the template says. Anything not listed is refused.
     */
    provisioning?: {
      /** AWS account ids the actions may touch. IAM and EKS actions refuse any other. */
      allowedAccountIds?: string[];
      /** AWS regions the actions may touch. */
      allowedRegions?: string[];
      /** Cluster names (EKS cluster names, and names in kubernetes.clusterLocatorMethods). */
      allowedClusters?: string[];
      iam?: {
        /** IAM path for every role and policy created, e.g. /backstage/. Default /backstage/. */
        path?: string;
        /** Required name prefix for roles created or touched. Default "backstage-". */
        roleNamePrefix?: string;
        /** Required name prefix for policies created or touched. Default "backstage-". */
        policyNamePrefix?: string;
        /** Permissions boundary ARN attached to every role created; required when permission.enabled is true. */
        permissionsBoundaryArn?: string;
        /**
         * Policy ARNs (exact, or ending in `*`) that may be attached to a role,
         * besides policies under the configured path and prefix.
         */
        allowedPolicyArns?: string[];
        /** Tags added to every role and policy created. */
        tags?: { [key: string]: string };
        /** Allow adopting (modifying) an existing role this plugin did not create. Default false. */
        allowAdoptingExistingRoles?: boolean;
        /** Allow a new default version of an existing policy this plugin did not create. Default false. */
        allowUpdatingUnmanagedPolicies?: boolean;
        /**
         * Allow policy documents with admin-equivalent statements (Action "*", iam:*, Allow with NotAction, a whole
         * service on every resource, iam:PassRole and other privilege-escalation actions on every resource). Default false.
         */
        allowAdminEquivalentPolicies?: boolean;
      };
      podIdentity?: {
        /** Allow pointing an existing association at another role. Default false. */
        allowReplacingAssociationRole?: boolean;
        /** namespace/serviceAccount pairs that may be associated. Default kube-system/aws-load-balancer-controller. */
        allowedServiceAccounts?: string[];
      };
      gateways?: {
        /** Namespaces Gateways and routes may be rendered into. Default: any. */
        allowedNamespaces?: string[];
        /** Listener ports or ranges ("1024-65535"). Default 1-65535. */
        allowedListenerPorts?: Array<number | string>;
        /**
         * Allow internet-facing endpoints open to the whole internet: no source CIDRs, or CIDRs whose union covers
         * every IPv4 or every IPv6 address (however they are spelled). Default false.
         */
        allowOpenToWorld?: boolean;
        /**
         * Shortest prefix length a source CIDR of an internet-facing endpoint may have, per family (unless
         * allowOpenToWorld). Default ipv4 8, ipv6 32.
         */
        minSourceRangePrefixLength?: { ipv4?: number; ipv6?: number };
        /** GatewayClass name used when a template does not say. Default aws-nlb. */
        gatewayClassName?: string;
        /** GatewayClasses endpoints (and the controller setup) may use; must include gatewayClassName. Default: [gatewayClassName]. */
        allowedGatewayClassNames?: string[];
        /** Controller profile when the cluster cannot be asked: lbc-v2.17 (Gateway API v1.3) or lbc-v3.5 (Gateway API v1.6). Default lbc-v3.5. */
        defaultControllerProfile?: string;
      };
      /**
       * Shared Gateways (one NLB for many endpoints) developers may add a listener to. Any Gateway not listed is
       * refused, whatever a form sends. Read by the form options and the shared-listener action.
       */
      sharedGateways?: Array<{
        /** Cluster name, as in kubernetes.clusterLocatorMethods (and in allowedClusters). */
        cluster: string;
        namespace: string;
        name: string;
        /** What the form shows. */
        title?: string;
        /** Where the platform team keeps this Gateway's manifest (one YAML document, the Gateway). */
        gitops: {
          /** Clone URL; must also be in gitops.allowedRepoUrls. */
          repoUrl: string;
          /** The manifest file, relative to the repository root. */
          path: string;
          /** The branch the cluster is synced from. Default main. */
          branch?: string;
        };
        /** Ports or ranges ("20000-20999") developers may take as listener ports. Required. */
        listenerPorts: Array<number | string>;
        /**
         * Listener protocols offered: TCP, UDP, TLS (passed through: the app's Service terminates TLS). Default TCP and
         * UDP; TLS needs tlsHostnames.
         */
        protocols?: Array<'TCP' | 'UDP' | 'TLS'>;
        /**
         * Host names a TLS listener may carry (the Gateway API requires one; the NLB does not route by it): exact
         * names, or "*.apps.example.com" for any name below apps.example.com. Required with TLS, refused without it.
         */
        tlsHostnames?: string[];
        /**
         * Which namespaces' routes a new listener admits, written as its allowedRoutes.namespaces. Default Selector.
         * Selector needs matchLabels; Same admits only the Gateway's namespace; All admits every namespace.
         */
        allowedRoutes?: {
          from?: 'All' | 'Same' | 'Selector';
          matchLabels?: { [label: string]: string };
        };
      }>;
      aws?: {
        /**
         * Deadline of one attempt of an AWS call (request sent, response read), in seconds; the SDK makes up to 3
         * attempts, so a stalled endpoint fails the step after about 3 times this. Default 15.
         */
        requestTimeoutSeconds?: number;
      };
      controller?: {
        /**
         * URL of the controller's published IAM policy for a version; {version}
         * is replaced with the tag (e.g. v2.17.1). Point it at a mirror when needed.
         */
        policyUrlTemplate?: string;
        /**
         * Allow fetching the policy of releases whose sha256 is not pinned in the suite (pinned: v2.17.1, v3.5.0).
         * Default false: any other version is refused before the download.
         */
        allowUnpinnedPolicyVersions?: boolean;
      };
      gitops?: {
        /**
         * Repository clone URLs the GitOps actions may read and push to, matched on the parsed URL (scheme, host,
         * port, then path segment by segment): exact, `*` within one segment (`gitops-*`), or a final `/*` for
         * any repository below that path. https only (http for loopback test servers). Anything else is refused.
         */
        allowedRepoUrls?: string[];
        /** Deadlines of every git and pull request API call. */
        timeouts?: {
          /** Until a response's headers arrive (connecting included). Default 30. */
          requestSeconds?: number;
          /** For one whole operation (list branches, fetch, push, open a pull request). Default 120. */
          operationSeconds?: number;
        };
        /** Committer of GitOps commits (the task's user is the author). Default "Backstage <backstage@localhost>". */
        committer?: { name: string; email: string };
      };
    };
  };
}
