/**
 * The platform team's shared NLB of the shared-gateway tests: its
 * configuration entry (`awsGateway.provisioning.sharedGateways[0]`) and its
 * manifest in the platform's repository, with the platform's own listener and
 * comments the portal must keep.
 */

export const SHARED_GATEWAY_GITOPS = {
  repoUrl: 'https://git.example.com/platform/gitops.git',
  path: 'platform/gateways/shared-nlb.yaml',
};

export const SHARED_GATEWAY_ENTRY = {
  cluster: 'prod',
  namespace: 'platform-gateways',
  name: 'shared-nlb',
  gitops: SHARED_GATEWAY_GITOPS,
  listenerPorts: ['20000-20009'],
  allowedRoutes: { from: 'Selector', matchLabels: { 'shared-nlb': 'yes' } },
};

export const SHARED_GATEWAY_YAML = `# Owned by the platform team.
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared-nlb
  namespace: platform-gateways
spec:
  gatewayClassName: aws-nlb
  listeners:
    # The platform's own listener.
    - name: platform-dns
      protocol: UDP
      port: 20000
`;
