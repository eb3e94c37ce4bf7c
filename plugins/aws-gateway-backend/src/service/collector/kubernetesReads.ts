/**
 * The Kubernetes side of one Gateway: the objects around it in its cluster
 * (class, routes, configurations) and in its backends' namespaces (bindings,
 * endpoint slices, Services). A failed read becomes a StatusError and an
 * empty answer.
 */
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { ClusterReader } from '../../kubernetes/ClusterReader';
import {
  bindingsOf,
  loadBalancerSettingsOf,
  routesOf,
} from '../../kubernetes/topology';
import {
  EndpointSlice,
  Gateway,
  GatewayClass,
  L4Route,
  Service,
  TargetGroupBinding,
  TargetGroupConfiguration,
} from '../../kubernetes/types';
import { FailureReport } from './failureReport';

/** The cluster-wide objects that concern one Gateway. */
export interface GatewaySurroundings {
  gatewayClass?: GatewayClass;
  /** Routes with a parentRef to the Gateway. */
  routes: L4Route[];
  loadBalancerSettings: { scheme?: string; sourceRanges?: string[] };
  targetGroupConfigurations: TargetGroupConfiguration[];
}

/** What one namespace holds for the Gateway. */
export interface NamespaceObjects {
  /** The Gateway's TargetGroupBindings (by the controller's stack labels). */
  bindings: TargetGroupBinding[];
  slices: EndpointSlice[];
  services: Service[];
}

export async function readSurroundings(
  reader: ClusterReader,
  gateway: Gateway,
  report: FailureReport,
  errors: StatusError[],
): Promise<GatewaySurroundings> {
  const cluster = reader.cluster;
  const settled = <T>(p: Promise<T>) => report.settled(p, errors, cluster);
  const [classes, tcp, udp, tls, lbConfigs, tgConfigs] = await Promise.all([
    settled(reader.listGatewayClasses()),
    settled(reader.listRoutes('TCPRoute')),
    settled(reader.listRoutes('UDPRoute')),
    settled(reader.listRoutes('TLSRoute')),
    settled(reader.listLoadBalancerConfigurations()),
    settled(reader.listTargetGroupConfigurations()),
  ]);
  const gatewayClass = classes?.find(
    c => c.metadata.name === gateway.spec?.gatewayClassName,
  );
  return {
    gatewayClass,
    routes: routesOf(gateway, [...(tcp ?? []), ...(udp ?? []), ...(tls ?? [])]),
    loadBalancerSettings: loadBalancerSettingsOf(
      gateway,
      gatewayClass,
      lbConfigs ?? [],
    ),
    targetGroupConfigurations: tgConfigs ?? [],
  };
}

export async function readNamespaces(
  reader: ClusterReader,
  gateway: Gateway,
  namespaces: string[],
  report: FailureReport,
  errors: StatusError[],
): Promise<NamespaceObjects> {
  const settled = <T>(p: Promise<T>) =>
    report.settled(p, errors, reader.cluster);
  const perNamespace = await Promise.all(
    namespaces.map(async ns => {
      const [bindings, slices, services] = await Promise.all([
        settled(reader.listTargetGroupBindings(ns)),
        settled(reader.listEndpointSlices(ns)),
        settled(reader.listServices(ns)),
      ]);
      return {
        bindings: bindingsOf(gateway, bindings ?? []),
        slices: slices ?? [],
        services: services ?? [],
      };
    }),
  );
  return {
    bindings: perNamespace.flatMap(n => n.bindings),
    slices: perNamespace.flatMap(n => n.slices),
    services: perNamespace.flatMap(n => n.services),
  };
}
