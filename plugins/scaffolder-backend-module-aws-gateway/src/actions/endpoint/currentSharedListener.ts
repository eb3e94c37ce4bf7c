import path from 'node:path';
import { InputError } from '@backstage/errors';
import {
  ControllerProfile,
  ENTITY_REF_ANNOTATION,
  KUBERNETES_ID_LABEL,
  L4_ROUTE_KIND_FOR_PROTOCOL,
  L4_ROUTE_KINDS,
  sharedListenerTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  chooseReviewBranch,
  CommittedTargetGroupConfigurations,
  ENDPOINT_EDIT_RULES,
  GitOpsFile,
  GitOpsRepository,
  manifestToYaml,
  PullRequestOpener,
  readSharedGatewayManifest,
  renderSharedRouteManifests,
  RepositoryUrl,
  SharedGateway,
  SHARED_LISTENER_PORT_ANNOTATION,
  SharedListenerProtocol,
  SharedListenerRequest,
  sharedReviewBranch,
} from '@gateway-portal/plugin-aws-gateway-node';
import { matchProfile, refuse } from '../gitops/bundleChecks';
import { parseManifest } from '../gitops/renderedBundle';
import { assertFolderNames, refuseForeignManifests } from './currentEndpoint';

/**
 * A listener on a shared Gateway as the platform's GitOps repository has it,
 * before it is changed or removed: the app's route folder
 * (`shared-gateway-routes/<namespace>/<route>/`) and the shared Gateway's
 * manifest. The repository's content is hostile: the route must carry the
 * portal's mark and be exactly what `aws-gateway:endpoint:shared-listener`
 * renders for what it says (so nobody edited it since); the listener it names
 * is checked by `planSharedListenerEdit`.
 */

/** The kinds the shared-listener action writes into a route folder (the route's own, then what it needs). */
const SHARED_ROUTE_KINDS: readonly string[] = L4_ROUTE_KINDS;
const SHARED_ROUTE_COMPANION_KINDS = [
  'ReferenceGrant',
  'TargetGroupConfiguration',
];
/** Their file names (`<kind>-<name>.yaml`); other files (a kustomization.yaml) are left alone. */
const SHARED_ROUTE_FILE_NAME =
  /^(tcproute|udproute|tlsroute|referencegrant|targetgroupconfiguration)-[a-z0-9.-]+\.yaml$/;
const protocolOfRouteKind = (kind: string) =>
  (Object.keys(L4_ROUTE_KIND_FOR_PROTOCOL) as SharedListenerProtocol[]).find(
    p => L4_ROUTE_KIND_FOR_PROTOCOL[p] === kind,
  )!;

/** What the repository holds of one listener on a shared Gateway. */
export interface CurrentSharedListener {
  /** What the route says was asked for (the port from its listener in the manifest). */
  request: SharedListenerRequest;
  /** The profile the route was rendered for. */
  profile: ControllerProfile;
  /** The route folder's files the portal wrote, as read. */
  routeFiles: GitOpsFile[];
  /** Other files in the folder: left alone. */
  otherFiles: string[];
  /** The shared Gateway's manifest, as read. */
  gatewayFile: GitOpsFile;
  /** The branch read and its head. */
  branch: string;
  commitSha: string;
  /** The TargetGroupConfigurations committed on that branch (same fetch as the manifest). */
  committed?: CommittedTargetGroupConfigurations;
}

/**
 * The open pull request of the listener's expose (its review branch,
 * `sharedReviewBranch` with the review-branch rule's suffixes), if the
 * expose is still under review. Reads only.
 */
export async function openExposeReview(
  repository: Pick<GitOpsRepository, 'describeRemote'>,
  opener: Pick<PullRequestOpener, 'findOpen'>,
  repoUrl: RepositoryUrl,
  shared: SharedGateway,
  where: { namespace: string; routeName: string },
  options: { userToken?: string; signal?: AbortSignal },
): Promise<
  { branch: string; pullRequest: { number: number; url: string } } | undefined
> {
  const { branches } = await repository.describeRemote(repoUrl, options);
  const choice = await chooseReviewBranch({
    preferred: sharedReviewBranch(where.namespace, where.routeName),
    baseBranch: shared.gitops.branch,
    branches,
    findOpen: (head, base) =>
      opener.findOpen(head, base, { signal: options.signal }),
  });
  return choice.pullRequest
    ? { branch: choice.branch, pullRequest: choice.pullRequest }
    : undefined;
}

/** The route folder of `namespace`/`routeName` on a branch: the portal's files and the others. */
export async function readSharedRouteFolder(
  repository: Pick<GitOpsRepository, 'readFiles'>,
  repoUrl: RepositoryUrl,
  where: { namespace: string; routeName: string },
  options: {
    branch: string;
    baseBranch: string;
    userToken?: string;
    signal?: AbortSignal;
  },
): Promise<{ files: GitOpsFile[]; otherFiles: string[] }> {
  assertFolderNames({ namespace: where.namespace, routeName: where.routeName });
  const read = await repository.readFiles(repoUrl, {
    ...options,
    directory: sharedListenerTargetPath(where.namespace, where.routeName),
  });
  const ours = (f: GitOpsFile) =>
    SHARED_ROUTE_FILE_NAME.test(path.posix.basename(f.path));
  return {
    files: read.files.filter(ours),
    otherFiles: read.files.filter(f => !ours(f)).map(f => f.path),
  };
}

/**
 * Reads the listener the portal added for route `namespace`/`routeName` on
 * `shared` from the base branch (or `options.branch`: an open review
 * branch); undefined when the route folder holds none of the portal's files
 * (never added, or already removed). Refuses, naming
 * the file and the rule, a file without the portal's mark or of a kind it
 * never writes there, a route that is not to a listener of this shared
 * Gateway (`[endpoint-not-ours]`), and one that is not exactly what the
 * portal renders for what it says (`[endpoint-hand-edited]`).
 */
export async function readCurrentSharedListener(
  repository: Pick<GitOpsRepository, 'readFiles'>,
  repoUrl: RepositoryUrl,
  shared: SharedGateway,
  where: { namespace: string; routeName: string },
  options: { branch?: string; userToken?: string; signal?: AbortSignal },
): Promise<CurrentSharedListener | undefined> {
  const branch = {
    ...options,
    branch: options.branch ?? shared.gitops.branch,
    baseBranch: shared.gitops.branch,
  };
  const folder = await readSharedRouteFolder(
    repository,
    repoUrl,
    where,
    branch,
  );
  if (!folder.files.length) return undefined;
  const gateway = await readSharedGatewayManifest(repository, repoUrl, shared, {
    ...branch,
    targetGroupConfigurations: true,
  });
  const targetPath = sharedListenerTargetPath(where.namespace, where.routeName);
  try {
    const { request, profile } = verifyOurRoute(
      shared,
      where,
      folder.files.map(f => ({
        name: path.posix.basename(f.path),
        content: f.content,
      })),
    );
    return {
      request,
      profile,
      routeFiles: folder.files,
      otherFiles: folder.otherFiles,
      gatewayFile: gateway.file,
      branch: gateway.branch,
      commitSha: gateway.commitSha,
      ...(gateway.committed ? { committed: gateway.committed } : {}),
    };
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(
        `${targetPath} on ${gateway.branch}: ${error.message}`,
      );
    }
    throw error;
  }
}

function verifyOurRoute(
  shared: SharedGateway,
  where: { namespace: string; routeName: string },
  files: Array<{ name: string; content: string }>,
): { request: SharedListenerRequest; profile: ControllerProfile } {
  const manifests = files.map(f => ({
    file: f.name,
    manifest: parseManifest(f),
  }));
  refuseForeignManifests(
    manifests,
    [...SHARED_ROUTE_KINDS, ...SHARED_ROUTE_COMPANION_KINDS],
    AWS_GATEWAY_ACTION_ID.sharedListener,
  );
  const routes = manifests.filter(m =>
    SHARED_ROUTE_KINDS.includes(m.manifest.kind),
  );
  const route = routes[0]?.manifest as any;
  const parent = route?.spec?.parentRefs?.[0];
  if (
    routes.length !== 1 ||
    route.metadata.name !== where.routeName ||
    route.metadata.namespace !== where.namespace ||
    parent?.namespace !== shared.namespace ||
    parent?.name !== shared.name ||
    typeof parent?.sectionName !== 'string'
  ) {
    throw refuse(
      routes[0]?.file ?? files[0].name,
      ENDPOINT_EDIT_RULES.notOurs,
      `is not the one route ${where.namespace}/${where.routeName} to a listener of shared Gateway ${shared.id} the portal writes in this folder`,
    );
  }
  const backend = route.spec?.rules?.[0]?.backendRefs?.[0] ?? {};
  const request: SharedListenerRequest = {
    sharedGateway: shared.id,
    namespace: where.namespace,
    listenerName: parent.sectionName,
    // The port the portal wrote; planSharedListenerEdit refuses a listener that no longer has it.
    listenerPort: Number(
      route.metadata.annotations?.[SHARED_LISTENER_PORT_ANNOTATION],
    ),
    protocol: protocolOfRouteKind(route.kind),
    // A TLSRoute's host name; the listener's must be the same (planSharedListenerEdit).
    ...(typeof route.spec?.hostnames?.[0] === 'string'
      ? { hostname: route.spec.hostnames[0] }
      : {}),
    routeName: where.routeName,
    backend: {
      service: String(backend.name),
      port: Number(backend.port),
      ...(typeof backend.namespace === 'string'
        ? { namespace: backend.namespace }
        : {}),
    },
    ...(typeof route.metadata.annotations?.[ENTITY_REF_ANNOTATION] === 'string'
      ? { entityRef: route.metadata.annotations[ENTITY_REF_ANNOTATION] }
      : {}),
    ...(typeof route.metadata.labels?.[KUBERNETES_ID_LABEL] === 'string'
      ? { kubernetesId: route.metadata.labels[KUBERNETES_ID_LABEL] }
      : {}),
  };
  const { profile, difference } = matchProfile(files, p => {
    try {
      return new Map(
        renderSharedRouteManifests(shared, request, p).map(r => [
          r.path,
          manifestToYaml(r.manifest),
        ]),
      );
    } catch {
      return new Map(); // what it says cannot be rendered: not what the portal wrote
    }
  });
  if (!profile) {
    throw refuse(
      difference ?? files[0].name,
      ENDPOINT_EDIT_RULES.handEdited,
      `is not what ${AWS_GATEWAY_ACTION_ID.sharedListener} wrote for route ${where.namespace}/${where.routeName} (edited by hand, added or missing): changing or removing the listener would lose that edit, so nothing is done — restore the rendered file, or make the change in the repository by hand`,
    );
  }
  return { request, profile };
}
