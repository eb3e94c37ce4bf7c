import { ControllerProfileId } from './manifests';

/**
 * The form-options API of the aws-gateway backend
 * (`/api/aws-gateway/form-options/…`): what the expose template's pickers
 * show. Everything is read with the signed-in user's identity and narrowed to
 * what that user may use.
 */

/** An inclusive listener port range. @public */
export interface FormPortRange {
  from: number;
  to: number;
}

/**
 * The platform's rules an endpoint must follow, as a developer needs them
 * before submitting (read from the same settings the actions enforce).
 *
 * @public
 */
export interface FormGuardrails {
  allowedListenerPorts: FormPortRange[];
  /** Whether an internet-facing endpoint needs source CIDRs that do not cover the whole internet. */
  internetFacingNeedsSourceCidrs: boolean;
  /** Shortest prefix an internet-facing source CIDR may have, per address family. */
  minSourceRangePrefixLength: { ipv4: number; ipv6: number };
  /** Undefined: any namespace the user may use. */
  allowedNamespaces?: string[];
  defaultControllerProfile: ControllerProfileId;
}

/** A cluster endpoints may be checked against, with what the suite detects on it. @public */
export interface FormCluster {
  name: string;
  title?: string;
  /** The controller profile the cluster's CRDs match; undefined when detection failed or matched none. */
  controllerProfile?: { id: ControllerProfileId; title: string };
  /** Why no profile is shown (no answer in time, no matching CRDs), in words for the developer. */
  problem?: string;
}

/** @public */
export interface FormClustersResponse {
  clusters: FormCluster[];
}

/** @public */
export interface FormNamespacesResponse {
  /** Namespaces of the cluster the user may put an endpoint in, sorted. */
  namespaces: string[];
}

/** One port of a Service. @public */
export interface FormServicePort {
  name?: string;
  port: number;
  protocol: string;
}

/** @public */
export interface FormService {
  name: string;
  type?: string;
  ports: FormServicePort[];
}

/** @public */
export interface FormServicesResponse {
  services: FormService[];
}

/** What the expose form has filled in so far (the template's parameter names). @public */
export interface EndpointFormValues {
  cluster?: string;
  namespace?: string;
  serviceName?: string;
  servicePort?: number;
  gatewayName?: string;
  listenerName?: string;
  listenerPort?: number;
  protocol?: string;
  tlsHostname?: string;
  routeName?: string;
  scheme?: string;
  sourceCidrs?: string[];
  controllerProfile?: string;
  /** `shared`: a listener on a shared gateway (`sharedGateway`, its id) instead of a gateway of its own. */
  gatewayKind?: string;
  sharedGateway?: string;
}

/** A problem with one form field, worded for the developer. @public */
export interface EndpointFormIssue {
  /** The template parameter it concerns (`listenerPort`), or `form`. */
  field: string;
  rule: string;
  message: string;
}

/**
 * The check of an expose form before submit: the platform's rules, the
 * controller profile the manifests will target and the repository paths
 * that will be committed (derived exactly as the commit action derives them).
 *
 * @public
 */
export interface EndpointFormCheck {
  guardrails: FormGuardrails;
  controllerProfile?: {
    id: ControllerProfileId;
    title: string;
    /** Detected on the cluster, chosen in the form, or the platform's default. */
    source: 'cluster' | 'input' | 'configuration';
  };
  /** The folder the files go to, and each file's repository path. */
  targetPath?: string;
  files: string[];
  issues: EndpointFormIssue[];
  /**
   * What the check could not see (e.g. a bound a repository read met):
   * worded for the developer, no issue — the action checks again.
   */
  notes?: string[];
}
