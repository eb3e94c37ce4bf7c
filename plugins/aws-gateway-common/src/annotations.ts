/**
 * Names shared by the templates (which write them), the status backend (which
 * reads them) and the entity card (which decides whether to show itself).
 */

/**
 * Entity annotation listing the entity's Gateways explicitly, comma or newline
 * separated, each `[cluster/]namespace/name`. Without a cluster, every
 * configured cluster is searched.
 *
 * @public
 */
export const AWS_GATEWAY_ANNOTATION = 'aws-gateway.io/gateways';

/**
 * The Kubernetes plugin's convention, reused: Kubernetes objects labelled
 * `backstage.io/kubernetes-id=<id>` belong to the entity annotated with the
 * same id. The expose template puts this label on every manifest it writes.
 *
 * @public
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/** @public */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * The Kubernetes plugin's label selector annotation: when set, it selects the
 * entity's objects instead of the `backstage.io/kubernetes-id` label. @public
 */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/** Kubernetes plugin's namespace annotation, used as the default namespace. @public */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Annotation written on rendered manifests: the entity ref they were made for.
 *
 * @public
 */
export const ENTITY_REF_ANNOTATION = 'aws-gateway.io/entity-ref';

/** The label that says which tool manages a Kubernetes object (a recommended label). @public */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** `app.kubernetes.io/managed-by` value on every manifest this suite renders. @public */
export const MANAGED_BY_VALUE = 'backstage-aws-gateway';

/**
 * Tag key/value put on IAM policies and roles this suite creates. The actions
 * only ever modify IAM resources that carry it (unless configuration allows
 * adopting others).
 *
 * @public
 */
export const MANAGED_TAG_KEY = 'aws-gateway.io/managed-by';
/** @public */
export const MANAGED_TAG_VALUE = 'backstage';

/**
 * The Gateway API controller name of the AWS Load Balancer Controller's NLB
 * support.
 *
 * @public
 */
export const LBC_NLB_CONTROLLER_NAME = 'gateway.k8s.aws/nlb';
