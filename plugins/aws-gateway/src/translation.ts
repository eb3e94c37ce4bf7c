import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Every text the gateway card and the expose template's fields show. Apps
 * override or translate them with `createTranslationMessages` (a
 * `TranslationBlueprint` in the new frontend system).
 *
 * @alpha
 */
export const awsGatewayTranslationRef = createTranslationRef({
  id: 'aws-gateway',
  messages: {
    card: {
      title: 'AWS gateways',
      lastUpdated: 'Last updated {{age}}',
      refresh: 'Refresh',
      refreshTooltip: 'Read the status again from Kubernetes and AWS',
      loading: 'Loading gateway status',
      refreshing: 'Refreshing gateway status',
      loadFailedTitle: 'Could not load the gateway status',
      refreshFailedTitle: 'Could not refresh the gateway status',
      refreshFailedMessage: '{{message}}. Showing the status read earlier.',
      staleTitle: 'Showing the last known status, {{age}} old',
      staleMessage:
        '{{reason}}. It is refreshed in the background; what you see may have changed since.',
      refreshDeclined: 'Not refreshed: {{reason}}.',
      partialErrorsTitle: 'Some gateway information could not be loaded',
      gatewayPartialErrorsTitle:
        'Some information about this gateway could not be loaded',
    },
    duration: {
      seconds: '{{count}} s',
      minutes: '{{count}} min',
      hours: '{{count}} h',
    },
    gateway: {
      subtitle:
        'Namespace {{namespace}} · Cluster {{cluster}} · Class {{className}}',
      state: {
        programmed: 'Programmed',
        provisioning: 'Provisioning',
        error: 'Error',
        unknown: 'Unknown',
        removing: 'Being removed',
      },
    },
    facts: {
      dnsName: 'DNS name',
      dnsNameMissing: 'Not assigned yet',
      copyDnsName: 'Copy DNS name',
      dnsNameCopied: 'DNS name copied',
      scheme: 'Scheme',
      schemeRequested: '(from the LoadBalancerConfiguration)',
      schemeUnknown: 'Not known yet',
      allowedSources: 'Allowed sources',
      anySource: 'Any address (controller default 0.0.0.0/0, ::/0)',
      noSource: 'None',
      loadBalancer: 'Load balancer',
      loadBalancerMissing: 'Not found yet',
      openLoadBalancer: 'Open load balancer {{name}} in the AWS console',
    },
    warnings: {
      onListener: 'Listener {{listener}}: {{message}}',
      fix: 'Fix:',
    },
    events: {
      title: 'Controller events ({{count}})',
      warnings: '{{count}} warning(s)',
      label: 'Kubernetes events about this gateway',
      none: 'No events about this gateway or its objects.',
      notReadable:
        "Events are not readable: the portal may not list events in this cluster. Ask your platform team to grant list on events (events.k8s.io or core), as the portal's status-reader ClusterRole does.",
      failed:
        'Events could not be read this time; they are read again with the status.',
      columnEvent: 'Event',
      columnObject: 'Object',
      columnMessage: 'Message',
      typeWarning: 'Warning',
      typeNormal: 'Normal',
      object: '{{kind}} {{name}}',
      seen: '×{{count}} · last {{time}}',
      omitted: '{{count}} more event(s) not shown.',
    },
    health: {
      healthy: 'healthy',
      unhealthy: 'unhealthy',
      initial: 'initial',
      draining: 'draining',
      unused: 'unused',
      unavailable: 'unavailable',
      count: '{{count}} {{state}}',
      noTargets: 'no targets',
      noTargetsRegistered: 'No targets registered',
      summary: 'Target health: {{counts}} of {{total}}',
    },
    listeners: {
      label: 'Listeners',
      none: 'This gateway has no listeners.',
      columnListener: 'Listener',
      columnRoute: 'Route',
      columnTargetGroup: 'Target group',
      columnHealth: 'Health',
      columnTargets: 'Targets',
      showTargets: 'Show targets',
      hideTargets: 'Hide targets',
      targetsOf: 'Targets of {{name}}',
      loadBalancerListener: 'NLB listener {{protocol}}',
      noLoadBalancerListenerNoRoute: 'No NLB listener: no route attached',
      noLoadBalancerListenerYet: 'No NLB listener on this port yet',
      noRoute: 'No route attached',
      routeShadowed:
        'Accepted, but gets no traffic: another route owns this port',
      noTargetGroup: 'No target group',
      openTargetGroup: 'Open target group {{name}} in the AWS console',
      service: 'Service {{namespace}}/{{name}}',
      weight: 'Weight {{weight}} ({{share}}% of new connections)',
    },
    targets: {
      none: 'No targets are registered in this target group.',
      columnPod: 'Pod',
      columnId: 'IP / instance',
      columnPort: 'Port',
      columnZone: 'Zone',
      columnState: 'State',
      columnReason: 'Reason',
      podOnNode: '{{namespace}} on {{node}}',
    },
    statusErrors: {
      part: {
        catalog: 'Catalog',
        kubernetes: 'Kubernetes',
        aws: 'AWS',
      },
      kind: {
        notConfigured: 'not configured',
        permission: 'permission denied',
        notFound: 'not found',
        unreachable: 'unreachable',
        error: 'error',
      },
      inCluster: '{{part}} (cluster {{cluster}})',
      source: '{{where}}, {{kind}}',
    },
    missingAnnotation: {
      title: 'No gateways linked to this entity',
      description:
        "Link the entity to its Gateways with {{kubernetesId}} (the Kubernetes plugin's id, which the expose template puts on every manifest as a label) or by listing them in {{gateways}}, in the entity's catalog-info.yaml:",
      copy: 'Copy the example',
    },
    noGateways: {
      title: 'No gateway yet',
      description:
        'No Gateway in the configured clusters belongs to {{entityRef}}. Create one with the template to get a public TCP endpoint on an AWS Network Load Balancer.',
      action: 'Expose a TCP endpoint',
    },
    notConfigured: {
      title: 'No Kubernetes cluster configured',
      description:
        'Gateway status is read from the clusters configured for the Kubernetes plugin. Ask your Backstage administrator to add the cluster that runs the AWS Load Balancer Controller under kubernetes.clusterLocatorMethods in app-config.yaml:',
    },
    permissionDenied: {
      title: 'You are not allowed to see this gateway status',
      description:
        "Reading the gateway status of this entity requires the {{permission}} permission. Ask your Backstage administrator to grant it, for example to the entity's owners.",
    },
    sandbox: {
      title: 'Sandbox: emulated AWS, local cluster',
      message:
        'This portal runs on the local sandbox of ./run start. Load balancers, target groups, target health and IAM objects live in an AWS emulator (moto), the Gateways in a local Kubernetes API server; nothing exists in a real AWS account and no traffic reaches these DNS names.',
    },
    fields: {
      none: 'None',
      notInList: '{{value}} (not in the list)',
      loading: 'Loading {{label}}',
      loadFailed: '{{message}} You can still type the value.',
      signInAgain: 'Sign in again to load the choices.',
      httpFailure:
        'The portal could not load the choices (HTTP {{status}}); try again in a moment.',
      networkFailure:
        'The portal could not load the choices; check your connection and try again.',
      cluster: {
        label: 'Cluster',
        notDetected: 'controller not detected',
        empty:
          'No cluster is set up for endpoints yet: leave this empty and the manifests are checked without one.',
      },
      namespace: {
        label: 'Namespace',
        emptyOnCluster:
          "No namespace on cluster {{cluster}} is open to your team's endpoints; ask your platform team.",
        emptyAllowed:
          'The platform allows no namespace for endpoints; ask your platform team.',
        freeTextHint:
          'Choose a cluster on this page to pick from its namespaces.',
      },
      service: {
        label: 'Service',
        noPorts: 'no ports',
        empty:
          'There is no Service in {{where}} yet; deploy it first, or type its name.',
        thisNamespace: 'this namespace',
        freeTextHint:
          'Choose a cluster and namespace to pick from their Services.',
      },
      servicePort: {
        label: 'Service port',
        noPorts: 'Service {{service}} has no ports.',
        notFound:
          'Service {{service}} is not in {{where}}; choose a Service above.',
        freeTextHint: 'Choose a Service above to pick from its ports.',
      },
      sharedGateway: {
        label: 'Shared gateway',
        freePorts: 'free ports',
        noFreePort: 'no free port left',
        pendingPorts: 'pending review',
        tlsHostnames: 'TLS host names',
        pendingPort:
          'Port {{port}} is pending review (listener {{listener}}) in pull request',
        pendingUnknown:
          'Free ports may include some that a review still open takes: {{note}}',
        empty:
          'The platform offers no shared gateway yet: choose a new gateway instead.',
      },
      endpoint: {
        label: 'Endpoint',
        pickFirst:
          'Choose {{missing}} on this page to pick from the endpoints live on the cluster, or type the name.',
        missingComponent: 'a component',
        missingCluster: 'a cluster',
        missingNamespace: 'a namespace',
        empty:
          'No endpoint of {{component}} is live in {{namespace}}; type its name.',
        inReview:
          'An endpoint still in review (its pull request not merged and applied) is not live yet: type its name.',
        ownGateway: 'own gateway',
        sharedListener: 'listener on shared gateway {{gateway}}',
        noListener: 'listeners not known',
        tlsHostnames:
          'TLS host names allowed on shared gateway {{gateway}}: {{hostnames}}. A new TLS host name must be one of them; any other is refused before anything is written.',
      },
      endpointCheck: {
        label: 'Check',
        checking: 'Checking the endpoint',
        rules: 'Platform rules',
        listenerPorts: 'Listener ports: {{ports}}',
        sourceCidrsRequired:
          'Internet-facing endpoints need source CIDRs (IPv4 blocks /{{ipv4}} or narrower, IPv6 /{{ipv6}} or narrower); internal endpoints do not.',
        sourceCidrsOptional:
          'Internet-facing endpoints may be open to the whole internet; list source CIDRs to narrow who may connect.',
        namespaces: 'Namespaces: {{namespaces}}',
        noNamespace: 'none',
        anyNamespace: 'any namespace your team may use',
        issues: 'What to change',
        profile: 'Controller profile:',
        profileSource: {
          cluster: 'detected on the cluster',
          input: 'chosen in this form',
          configuration: "the platform's default",
        },
        files: 'Files to commit:',
        filesList: 'Files to commit',
        notes: 'Not everything could be checked',
        notesHint:
          'Continuing is allowed: the step checks again when it runs, with what it can read then.',
      },
    },
  },
});
