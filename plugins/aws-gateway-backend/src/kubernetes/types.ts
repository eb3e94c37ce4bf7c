/**
 * The fields of the Kubernetes objects the status backend reads. Objects come
 * from the API server as JSON; only what is used is typed.
 */
import {
  ConditionSummary,
  L4RouteKind,
} from '@gateway-portal/plugin-aws-gateway-common';

/** @public */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  /** Changes with every write (the watch cache tells changes by it). */
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  /** Set when the object is deleted and finalizers hold it (the controller's, while it deletes the NLB). */
  deletionTimestamp?: string;
  finalizers?: string[];
}

/** @public */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface GatewayListener {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  allowedRoutes?: { namespaces?: { from?: 'Same' | 'All' | 'Selector' } };
}

export interface Gateway extends KubeObject {
  spec: {
    gatewayClassName: string;
    listeners: GatewayListener[];
    infrastructure?: {
      parametersRef?: { group: string; kind: string; name: string };
    };
  };
  status?: {
    addresses?: Array<{ type?: string; value: string }>;
    conditions?: ConditionSummary[];
    listeners?: Array<{
      name: string;
      attachedRoutes?: number;
      conditions?: ConditionSummary[];
    }>;
  };
}

export interface GatewayClass extends KubeObject {
  spec: {
    controllerName: string;
    parametersRef?: {
      group: string;
      kind: string;
      name: string;
      namespace?: string;
    };
  };
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
}

export interface L4Route extends KubeObject {
  kind: L4RouteKind;
  apiVersion: string;
  spec: {
    parentRefs?: ParentReference[];
    rules?: Array<{ backendRefs?: BackendRef[] }>;
  };
  status?: {
    parents?: Array<{
      parentRef: ParentReference;
      controllerName: string;
      conditions?: ConditionSummary[];
    }>;
  };
}

export interface TargetGroupBinding extends KubeObject {
  spec: {
    targetGroupARN?: string;
    targetType?: string;
    serviceRef: { name: string; port: number | string };
  };
}

export interface LoadBalancerConfiguration extends KubeObject {
  spec?: {
    scheme?: string;
    sourceRanges?: string[];
    loadBalancerName?: string;
  };
}

export interface TargetGroupConfiguration extends KubeObject {
  spec?: {
    targetReference?: { group?: string; kind?: string; name: string };
    defaultConfiguration?: { targetType?: string };
    routeConfigurations?: Array<{
      routeIdentifier?: { kind?: string; namespace?: string; name?: string };
      targetGroupProps?: { targetType?: string };
    }>;
  };
}

export interface EndpointSlice extends KubeObject {
  endpoints?: Array<{
    addresses: string[];
    nodeName?: string;
    /** The endpoint's topology zone (discovery.k8s.io/v1), e.g. us-west-2a. */
    zone?: string;
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }>;
}

export interface Service extends KubeObject {
  spec?: { type?: string; clusterIP?: string };
}
