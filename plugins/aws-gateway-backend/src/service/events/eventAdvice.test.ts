import { adviceFor } from './eventAdvice';

describe('adviceFor', () => {
  it.each([
    [
      'FailedBuildModel',
      "Failed build model due to TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'",
      'targetType: ip',
    ],
    [
      'FailedDeployModel',
      'Failed deploy model due to operation error Elastic Load Balancing v2: CreateLoadBalancer, api error AccessDenied: User is not authorized to perform: elasticloadbalancing:CreateLoadBalancer',
      'IAM policy step',
    ],
    [
      'FailedBuildModel',
      'Failed build model due to unable to resolve at least one subnet (0 match VPC and tags: [kubernetes.io/role/elb])',
      'kubernetes.io/role/elb=1',
    ],
    [
      'FailedDeployModel',
      'Failed deploy model due to IncompatibleProtocols: Listener protocol TCP is not compatible with target group protocol TLS',
      'protocol: TCP',
    ],
    [
      'FailedDeployModel',
      'Failed deploy model due to TooManyLoadBalancers',
      'quota',
    ],
    [
      'NotFound',
      'LoadBalancerConfiguration (defaults,platform) not found',
      "GatewayClass's parametersRef must give the configuration's namespace",
    ],
    [
      'InvalidParameters',
      'invalid parametersRef: kind must be LoadBalancerConfiguration',
      'group gateway.k8s.aws, kind LoadBalancerConfiguration',
    ],
    [
      'FailedBuildModel',
      'Failed build model due to something new',
      'manifests',
    ],
    [
      'FailedDeployModel',
      'Failed deploy model due to something new',
      "AWS's answer",
    ],
  ])('%s "%s" → a fix mentioning %s', (reason, message, expected) => {
    expect(adviceFor(reason, message)).toContain(expected);
  });

  it('has no advice for an unknown reason and message', () => {
    expect(
      adviceFor('BackOff', 'Back-off restarting failed container'),
    ).toBeUndefined();
  });
});
