import { InputError } from '@backstage/errors';
import { ControllerProfile } from '@gateway-portal/plugin-aws-gateway-common';
import { YAMLSeq } from 'yaml';
import { ENDPOINT_EDIT_RULES } from './endpointEditRules';
import { SharedGateway } from './sharedGatewayConfig';
import type { PendingListenerClaim } from './sharedGatewayRepository';
import {
  parseSharedGatewayManifest,
  renderSharedRouteManifests,
  sameListener,
  sharedGatewayDiff,
  sharedGatewayDriftProblems,
  sharedListenerEntry,
  sharedListenerProblems,
  sharedListenerProblemsError,
  SharedListenerRequest,
} from './sharedListener';
import { RenderedManifest } from './types';

/**
 * A listener the portal added to a shared Gateway, changed or removed: the
 * platform's Gateway manifest gets exactly that listener replaced or deleted
 * (the parsed YAML edited: the platform's comments, order and other listeners
 * stay), and the app's route is rendered again (or goes). Pure: the caller
 * reads the repository and the cluster and proves the route is ours.
 */

/** The shared Gateway's manifest and the route after a change or a removal. @public */
export interface SharedListenerEditPlan {
  gatewayFile: { path: string; content: string };
  gatewayChanged: boolean;
  /** Unified diff of the Gateway manifest, for the dry run and the pull request. */
  gatewayDiff: string;
  /** The route (and ReferenceGrant) after the change; none for a removal. */
  manifests: RenderedManifest[];
}

/**
 * Plans the change (`next`) or the removal (no `next`) of the listener the
 * portal wrote for `current`. Refuses, naming the rule: a listener that is no
 * longer in the manifest, or is not what the portal writes for `current`
 * (edited by hand: rewriting it would lose the edit) —
 * `[endpoint-hand-edited]`; a manifest lacking what the live Gateway has
 * (committing would change it); and for a change, whatever
 * `sharedListenerProblems` finds in `next` (a port outside the range or held
 * by another listener, live or in the manifest, a protocol not offered…).
 *
 * @public
 */
export function planSharedListenerEdit(inputs: {
  shared: SharedGateway;
  /** What the route in the repository says was asked for. */
  current: SharedListenerRequest;
  /** The request after the change; undefined to remove the listener. */
  next?: SharedListenerRequest;
  /** The Gateway manifest at `shared.gitops.path`. */
  repoGatewayYaml: string;
  /** The Gateway as the cluster has it; undefined when it does not exist. */
  liveGateway: unknown;
  /** Labels of the app namespace (for `from: Selector`). */
  routeNamespaceLabels?: Record<string, string>;
  profile: ControllerProfile;
  /** The base branch's Gateway, parsed, when `repoGatewayYaml` is an open review branch's (an expose under review). */
  baseGateway?: unknown;
  /** Listeners other open review pull requests claim. */
  pendingClaims?: PendingListenerClaim[];
  /**
   * The manifest where the open review branch `repoGatewayYaml` is on left
   * the base (its merge base). A removal that leaves the manifest as it was
   * there, but for the formatting the portal's YAML writer gives it, writes
   * it back byte for byte: the pull request then shows no change at all.
   */
  reviewBaseGatewayYaml?: string;
  /**
   * The caller's input field for a request field a refusal names (the change
   * action's `change.listeners[0].port` for `listenerPort`): the error names
   * what the user filled in. Fields not listed keep the request's names.
   */
  fieldNames?: Readonly<Record<string, string>>;
}): SharedListenerEditPlan {
  const { shared, current, next } = inputs;
  const named = (field: string) => inputs.fieldNames?.[field] ?? field;
  const { doc, gateway } = parseSharedGatewayManifest(
    shared,
    inputs.repoGatewayYaml,
  );
  const index = ownListenerIndex(shared, current, gateway);
  if (next && next.listenerName !== current.listenerName) {
    throw new InputError(
      `${named('listenerName')}: the listener ${
        current.listenerName
      } keeps its name (the route's sectionName) [shared-listener-rename]`,
    );
  }
  const problems = next
    ? sharedListenerProblems({
        ...inputs,
        request: next,
        gateway,
        ownListener: current.listenerName,
      })
    : sharedGatewayDriftProblems(
        shared,
        gateway,
        inputs.liveGateway,
        inputs.baseGateway,
      );
  if (problems.length) {
    throw sharedListenerProblemsError(
      `The listener ${current.listenerName} on shared Gateway ${
        shared.id
      } cannot be ${next ? 'changed' : 'removed'}`,
      problems.map(p => ({ ...p, field: named(p.field) })),
    );
  }

  const seq = doc.getIn(['spec', 'listeners'], true) as YAMLSeq;
  const before = inputs.repoGatewayYaml;
  let after = before;
  if (!next) {
    seq.items.splice(index, 1);
    after = doc.toString({ lineWidth: 0 });
    after = restoredReviewBase(shared, inputs.reviewBaseGatewayYaml, after);
  } else {
    const entry = sharedListenerEntry(shared, next);
    if (!sameListener(entry, gateway.spec.listeners[index])) {
      seq.items[index] = doc.createNode(entry);
      after = doc.toString({ lineWidth: 0 });
    }
  }
  return {
    gatewayFile: { path: shared.gitops.path, content: after },
    gatewayChanged: after !== before,
    gatewayDiff: sharedGatewayDiff(shared, before, after),
    manifests: next
      ? renderSharedRouteManifests(shared, next, inputs.profile)
      : [],
  };
}

/** Where the listener the portal wrote for `request` is in the parsed manifest; refused when it is gone or edited. */
function ownListenerIndex(
  shared: SharedGateway,
  request: SharedListenerRequest,
  gateway: any,
): number {
  const listeners: unknown[] = gateway.spec?.listeners ?? [];
  const seqOk = Array.isArray(listeners);
  const index = seqOk
    ? listeners.findIndex(l => (l as any)?.name === request.listenerName)
    : -1;
  const where = `${shared.gitops.path} in ${shared.gitops.repoUrl}`;
  if (index < 0) {
    throw new InputError(
      `sharedGateway: the listener ${request.listenerName} of route ${request.namespace}/${request.routeName} is not in ${where} (removed or renamed by hand): nothing is done — ask the platform team, or restore it [${ENDPOINT_EDIT_RULES.handEdited}]`,
    );
  }
  if (!sameListener(listeners[index], sharedListenerEntry(shared, request))) {
    throw new InputError(
      `sharedGateway: the listener ${request.listenerName} in ${where} is not what the portal wrote for route ${request.namespace}/${request.routeName} (edited by hand since): changing or removing it would lose that edit, so nothing is done — restore it, or make the change in the repository by hand [${ENDPOINT_EDIT_RULES.handEdited}]`,
    );
  }
  return index;
}

/** `reviewBase` when `after` is it as the YAML writer formats it, else `after`; an invalid `reviewBase` restores nothing. */
function restoredReviewBase(
  shared: SharedGateway,
  reviewBase: string | undefined,
  after: string,
): string {
  if (reviewBase === undefined) return after;
  try {
    const formatted = parseSharedGatewayManifest(shared, reviewBase).doc;
    return formatted.toString({ lineWidth: 0 }) === after ? reviewBase : after;
  } catch {
    return after;
  }
}
