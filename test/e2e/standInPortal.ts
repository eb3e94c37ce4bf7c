/**
 * The real portal (templates portal) with the controller stand-in against
 * moto and the Gateway API v1.6 kube-apiserver: what a browser test of the
 * card needs before it applies its own objects.
 */
import * as k8s from '@kubernetes/client-node';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ensureClassicGatewayClass } from '../fixtures/classicGateway';
import { FakeController } from '../fixtures/fakeController';
import {
  awsClientConfig,
  createNetwork,
  kubeConfigFor,
  PROFILE_V16,
} from '../peers';
import {
  startTemplatesPortal,
  TemplatesPortal,
} from '../integration/support/templatesPortal';
import { CLUSTER_FOR_PROFILE } from './portalConfig';

export interface StandInPortal {
  env: TemplatesPortal;
  kc: k8s.KubeConfig;
  controller: FakeController;
  /** Stops the portal and closes the stand-in's AWS client. */
  stop(): Promise<void>;
}

export async function startStandInPortal(name: string): Promise<StandInPortal> {
  const env = await startTemplatesPortal(name);
  const kc = kubeConfigFor(PROFILE_V16);
  await ensureClassicGatewayClass(kc);
  const cluster = CLUSTER_FOR_PROFILE[PROFILE_V16];
  const elbv2 = new ElasticLoadBalancingV2Client(awsClientConfig());
  const controller = new FakeController({
    kc,
    elbv2,
    network: await createNetwork(cluster),
    clusterName: cluster,
    routeVersion: 'v1',
  });
  return {
    env,
    kc,
    controller,
    stop: async () => {
      elbv2.destroy();
      await env.stop();
    },
  };
}
