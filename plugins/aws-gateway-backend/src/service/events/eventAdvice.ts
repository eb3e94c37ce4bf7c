/**
 * What to do about a Warning event: the one table of known reasons and
 * message patterns (from the events the AWS Load Balancer Controller v3.5
 * wrote in the cases the README's events section lists) and the fix each calls for. The
 * first matching row wins, so specific rows come before general ones.
 */

interface AdviceRule {
  /** Matches the event's reason exactly when given. */
  reason?: string;
  /** Tested against the (cleaned) message when given. */
  message?: RegExp;
  fix: string;
}

const ADVICE: AdviceRule[] = [
  {
    // FailedBuildModel on default (instance) targets with a ClusterIP Service.
    message: /TargetGroup port is empty|When using Instance targets/i,
    fix: "Instance targets need a NodePort or LoadBalancer Service. Add a TargetGroupConfiguration for the Service with targetType: ip (the expose template writes one), or change the Service's type to NodePort.",
  },
  {
    message:
      /AccessDenied|UnauthorizedOperation|not authorized to perform|is not authorized/i,
    fix: "The controller's IAM role lacks a permission. Run the controller setup template again so its IAM policy step attaches the policy published for your controller version, and check the role's Pod Identity association.",
  },
  {
    message: /subnet/i,
    fix: 'The controller could not find subnets for the load balancer. Tag the subnets kubernetes.io/role/elb=1 (internet-facing) or kubernetes.io/role/internal-elb=1 (internal) and kubernetes.io/cluster/<cluster>=shared, or list subnets in the LoadBalancerConfiguration.',
  },
  {
    message: /IncompatibleProtocols/,
    fix: 'An NLB cannot forward a TCP listener (TLS passthrough) to a TLS target group. Set protocol: TCP in the TargetGroupConfiguration of the Service.',
  },
  {
    message: /TooMany|LimitExceeded|quota/i,
    fix: 'An AWS quota was reached. Remove unused load balancers or target groups, or ask AWS for a higher quota in this account and region.',
  },
  {
    // A parametersRef (a GatewayClass's, or a Gateway's infrastructure) naming a
    // LoadBalancerConfiguration that is not there: "LoadBalancerConfiguration (name,namespace) not found".
    message: /LoadBalancerConfiguration\b.*\bnot found/i,
    fix: "The LoadBalancerConfiguration its parametersRef names does not exist. Create it, or correct the reference: a GatewayClass's parametersRef must give the configuration's namespace; a Gateway's names one in the Gateway's own namespace.",
  },
  {
    message: /parametersRef/i,
    fix: 'The parametersRef must name a LoadBalancerConfiguration (group gateway.k8s.aws, kind LoadBalancerConfiguration) that exists, with its namespace on a GatewayClass. Correct the reference and apply it again.',
  },
  {
    message: /failed calling webhook|webhook/i,
    fix: "The controller's admission webhook did not answer. Check that the controller's pods are running and that its webhook Service has endpoints.",
  },
  {
    reason: 'FailedBuildModel',
    fix: 'The controller could not turn the manifests into a load balancer model. Check the Gateway, its routes and their configurations named in the message, then apply them again.',
  },
  {
    reason: 'FailedDeployModel',
    fix: "The controller could not create or change the AWS resources; the message is AWS's answer. Check the controller's IAM permissions and its logs.",
  },
];

/** The fix for a Warning event with this reason and message, if it is a known one. */
export function adviceFor(reason: string, message: string): string | undefined {
  return ADVICE.find(
    rule =>
      (rule.reason === undefined || rule.reason === reason) &&
      (rule.message === undefined || rule.message.test(message)),
  )?.fix;
}
