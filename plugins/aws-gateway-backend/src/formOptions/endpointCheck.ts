import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CONTROLLER_PROFILES,
  ControllerProfileId,
  EndpointFormCheck,
  EndpointFormIssue,
  EndpointFormValues,
  endpointTargetPath,
  EndpointSpec,
  isControllerProfileId,
  L4RouteKind,
  ManifestIssue,
  L4_ROUTE_KIND_FOR_PROTOCOL,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  GatewayGuardrails,
  profileMismatch,
  renderEndpointManifests,
  UserKubernetesCredentials,
  validateEndpointSpec,
} from '@gateway-portal/plugin-aws-gateway-node';
import { FormOptionsService, FormUser } from './FormOptionsService';
import { SharedGatewayFormOptions } from './sharedGatewayOptions';

/**
 * The expose template's form, as `aws-gateway:endpoint:render` receives it
 * (the template's `render` step): one listener, one route, one backend.
 */
export function endpointSpecFromForm(
  values: EndpointFormValues,
  guardrails: GatewayGuardrails,
): EndpointSpec {
  const protocol = (values.protocol ??
    'TCP') as EndpointSpec['listeners'][number]['protocol'];
  return {
    name: values.gatewayName ?? '',
    namespace: values.namespace ?? '',
    gatewayClassName: guardrails.gatewayClassName,
    listeners: [
      {
        name: values.listenerName ?? '',
        protocol,
        port: values.listenerPort ?? 0,
        ...(protocol === 'TLS' && values.tlsHostname
          ? { hostname: values.tlsHostname }
          : {}),
      },
    ],
    routes: [
      {
        name: values.routeName ?? '',
        listener: values.listenerName ?? '',
        backends: [
          { service: values.serviceName ?? '', port: values.servicePort ?? 0 },
        ],
      },
    ],
    scheme:
      values.scheme === 'internet-facing' ? 'internet-facing' : 'internal',
    sourceCidrs: values.sourceCidrs ?? [],
    targetType: 'ip',
  };
}

/** The render input's fields, as the form names them. */
const FORM_FIELDS: Record<string, { field: string; title: string }> = {
  name: { field: 'gatewayName', title: 'Gateway name' },
  namespace: { field: 'namespace', title: 'Namespace' },
  'listeners[0].name': { field: 'listenerName', title: 'Listener name' },
  'listeners[0].port': { field: 'listenerPort', title: 'Listener port' },
  'listeners[0].protocol': { field: 'protocol', title: 'Protocol' },
  'listeners[0].hostname': { field: 'tlsHostname', title: 'TLS host name' },
  'routes[0].name': { field: 'routeName', title: 'Route name' },
  'routes[0].backends[0].service': { field: 'serviceName', title: 'Service' },
  'routes[0].backends[0].port': { field: 'servicePort', title: 'Service port' },
  scheme: { field: 'scheme', title: 'Scheme' },
  sourceCidrs: { field: 'sourceCidrs', title: 'Source CIDRs' },
};

/** Rules whose messages name configuration keys: said for the developer instead. */
const DEVELOPER_WORDING: Record<string, (g: GatewayGuardrails) => string> = {
  'open-to-world': () =>
    'An internet-facing endpoint needs source CIDRs that do not cover the whole internet: list who may connect, or choose the internal scheme',
  'cidr-prefix-too-short': g =>
    `A source CIDR is wider than allowed: IPv4 blocks need at least /${g.minSourceRangePrefixLength.ipv4}, IPv6 blocks /${g.minSourceRangePrefixLength.ipv6}`,
  'gateway-class-not-allowed': () =>
    'The platform has no allowed Gateway class for this endpoint; ask your platform team',
};

/**
 * One issue of the node library's rules, for the form: the form field it
 * concerns and words for the developer. The original (which may name
 * configuration keys) goes to the log for administrators.
 */
export function developerIssue(
  issue: ManifestIssue,
  guardrails: GatewayGuardrails,
  logger: LoggerService,
): EndpointFormIssue {
  const key = /^sourceCidrs(\[\d+\])?$/.test(issue.field)
    ? 'sourceCidrs'
    : issue.field;
  const target = FORM_FIELDS[key] ?? { field: 'form', title: 'Endpoint' };
  const reword = DEVELOPER_WORDING[issue.rule];
  if (reword) {
    logger.info(`form check: ${issue.message} [${issue.rule}]`);
    return {
      field: target.field,
      rule: issue.rule,
      message: reword(guardrails),
    };
  }
  const text = issue.message.startsWith(issue.field)
    ? issue.message.slice(issue.field.length).replace(/^[:\s]+/, '')
    : issue.message;
  return {
    field: target.field,
    rule: issue.rule,
    message: `${target.title}: ${text}`,
  };
}

type ResolvedFormProfile = NonNullable<EndpointFormCheck['controllerProfile']>;

/**
 * Checks the expose form before submit with the rules the render action
 * applies, and lists the files the commit action will write (the render
 * action's file names under the commit action's one folder).
 */
export async function checkEndpointForm(options: {
  values: EndpointFormValues;
  service: FormOptionsService;
  guardrails: GatewayGuardrails;
  user: FormUser;
  logger: LoggerService;
  signal: AbortSignal;
  /** The user's own tokens, for a cluster that takes them. */
  userCredentials?: UserKubernetesCredentials;
  /** The shared gateways' checks, for the shared-gateway path. */
  sharedGateways?: Pick<
    SharedGatewayFormOptions,
    'checkTargetGroupConfiguration'
  >;
}): Promise<EndpointFormCheck> {
  const { values, service, guardrails, user, logger, signal } = options;
  const issues: EndpointFormIssue[] = [];
  const requested = values.controllerProfile || undefined;
  if (requested !== undefined && !isControllerProfileId(requested)) {
    issues.push({
      field: 'controllerProfile',
      rule: 'controller-profile-unknown',
      message: `Controller profile: ${requested} is not one this portal supports`,
    });
  }
  const requestedId =
    requested && isControllerProfileId(requested) ? requested : undefined;
  const spec = endpointSpecFromForm(values, guardrails);
  const controllerProfile = await resolveFormProfile(
    values.cluster || undefined,
    requestedId,
    {
      service,
      guardrails,
      signal,
      userCredentials: options.userCredentials,
      issues,
      routeKind: L4_ROUTE_KIND_FOR_PROTOCOL[spec.listeners[0].protocol],
    },
  );

  if (values.namespace) {
    const refusal = service.namespaceRefusal(
      user,
      values.cluster || undefined,
      values.namespace,
    );
    if (refusal) {
      issues.push({
        field: 'namespace',
        rule: 'namespace-not-usable',
        message: refusal,
      });
    }
  }

  const ruleIssues = validateEndpointSpec(spec, { guardrails }).map(i =>
    developerIssue(i, guardrails, logger),
  );
  // The service's own namespace rule above already speaks for the namespace.
  issues.push(
    ...ruleIssues.filter(
      i =>
        !(
          i.rule === 'namespace-not-allowed' &&
          issues.some(x => x.field === 'namespace')
        ),
    ),
  );

  // A listener on a shared gateway: what the shared-listener action would refuse too (read only when the namespace is the user's).
  const notes: string[] = [];
  if (options.sharedGateways && !issues.some(i => i.field === 'namespace')) {
    const shared = await options.sharedGateways.checkTargetGroupConfiguration(
      values,
      { signal, userCredentials: options.userCredentials },
    );
    issues.push(...shared.issues);
    notes.push(...shared.notes);
  }

  const named = Boolean(spec.name && spec.namespace);
  const targetPath = named
    ? endpointTargetPath(spec.namespace, spec.name)
    : undefined;
  const profile =
    CONTROLLER_PROFILES[
      controllerProfile?.id ?? guardrails.defaultControllerProfile
    ];
  const files = targetPath
    ? renderEndpointManifests(spec, profile).map(m => `${targetPath}/${m.path}`)
    : [];
  return {
    guardrails: service.guardrails(),
    ...(controllerProfile ? { controllerProfile } : {}),
    ...(targetPath ? { targetPath } : {}),
    files,
    issues,
    ...(notes.length ? { notes } : {}),
  };
}

/** The profile the render action will use: the form's, else the cluster's, else the platform's default. */
async function resolveFormProfile(
  cluster: string | undefined,
  requested: ControllerProfileId | undefined,
  ctx: {
    service: FormOptionsService;
    guardrails: GatewayGuardrails;
    signal: AbortSignal;
    userCredentials?: UserKubernetesCredentials;
    issues: EndpointFormIssue[];
    routeKind: L4RouteKind | undefined;
  },
): Promise<ResolvedFormProfile | undefined> {
  const describe = (
    id: ControllerProfileId,
    source: ResolvedFormProfile['source'],
  ): ResolvedFormProfile => ({
    id,
    title: CONTROLLER_PROFILES[id].title,
    source,
  });
  if (!cluster) {
    return requested
      ? describe(requested, 'input')
      : describe(ctx.guardrails.defaultControllerProfile, 'configuration');
  }
  let detected;
  try {
    detected = await ctx.service.detectOnCluster(
      cluster,
      ctx.signal,
      ctx.userCredentials,
    );
  } catch (error) {
    ctx.signal.throwIfAborted();
    ctx.issues.push({
      field: 'cluster',
      rule: 'cluster-unavailable',
      message: (error as Error).message,
    });
    return requested ? describe(requested, 'input') : undefined;
  }
  if (requested) {
    const mismatch = profileMismatch(
      CONTROLLER_PROFILES[requested],
      detected,
      ctx.routeKind ? [ctx.routeKind] : undefined,
    );
    if (mismatch) {
      ctx.issues.push({
        field: 'controllerProfile',
        rule: 'controller-profile-mismatch',
        message: `Controller profile: cluster ${cluster} does not run ${requested} (${mismatch}); leave the profile empty to use what the cluster runs`,
      });
    }
    return describe(requested, 'input');
  }
  if (!detected.profile) {
    ctx.issues.push({
      field: 'cluster',
      rule: 'controller-profile-undetected',
      message: `Cluster ${cluster} has none of the Gateway API and controller CRDs this portal supports; ask your platform team`,
    });
    return undefined;
  }
  return describe(detected.profile.id, 'cluster');
}
