import crypto from 'node:crypto';
import { InputError, NotFoundError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  L4_ROUTE_KIND_FOR_PROTOCOL,
  sharedListenerTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  describeFileChanges,
  findSharedGateway,
  GatewayGuardrails,
  GitOpsFile,
  GitOpsRepository,
  KubernetesClusters,
  RepositoryUrl,
  manifestToYaml,
  parseSharedGatewayManifest,
  planSharedListenerEdit,
  readSharedGatewayManifest,
  readSharedGatewayReview,
  SharedGateway,
  SharedListenerRequest,
  sharedReviewBranch,
} from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { assertAllowedRepo, GitOpsSettings } from '../gitops/gitopsSettings';
import { OptionalString, ZodImpl } from '../support/inputDefaults';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import { checkOwnedObjects } from './currentEndpoint';
import {
  CurrentSharedListener,
  openExposeReview,
  readCurrentSharedListener,
  readSharedRouteFolder,
} from './currentSharedListener';
import {
  changedExposeReviewBody,
  closeOrRetitleAfterRemoval,
  emptyReviewOutput,
  exposeReviewTitle,
  removedExposeReviewTitle,
  retitledReviewOutput,
  retitleExposeReview,
} from './exposeReview';
import { readOtherPendingReviews } from './pendingReviews';
import {
  assertNamespacesAllowed,
  dryRunSharedGatewayEdit,
  readSharedGatewayCluster,
} from './sharedGatewayCluster';
import {
  chooseSharedReviewBranch,
  commitToSharedGateway,
  sharedGatewayCommitOutputs,
} from './sharedGatewayCommit';

/**
 * What changing and removing a listener on a shared Gateway share: read the
 * route and the Gateway's manifest from the platform's repository (ours,
 * unedited, for the component named, the initiator's to change), read the
 * live Gateway, plan the edit (exactly that listener and route; a changed
 * port must be free live, in the manifest and in the portal's other open
 * reviews), check it with a server-side dry run — all before anything is
 * written — then commit on a review branch and open a pull request (or reuse
 * the open one). A listener not merged yet whose expose pull request is open
 * is read from and edited on that pull request's branch (the review-branch
 * rule: reused while open). Already as asked (a re-run after the merge, an
 * endpoint already removed): nothing is written.
 */

/**
 * The dependencies the shared-gateway actions (add, change, remove a listener) get from the module.
 *
 * @public
 */
export interface SharedGatewayActionDeps {
  sharedGateways: SharedGateway[];
  repository: Pick<
    GitOpsRepository,
    | 'readFiles'
    | 'reviewBranchReader'
    | 'commitFiles'
    | 'pullRequestOpener'
    | 'describeRemote'
  >;
  settings: GitOpsSettings;
  guardrails: GatewayGuardrails;
  clusters: KubernetesClusters;
  ownership: InitiatorOwnership;
}

/** The inputs naming a listener the portal added to a shared Gateway. */
export const sharedListenerEditInputFields = {
  sharedGateway: (z: ZodImpl) =>
    z
      .string()
      .describe(
        'The shared Gateway, <cluster>/<namespace>/<name>, as awsGateway.provisioning.sharedGateways lists it (aws-gateway:endpoint:locate finds it)',
      ),
  namespace: (z: ZodImpl) => z.string().describe("Your route's namespace"),
  routeName: (z: ZodImpl) =>
    z
      .string()
      .describe(
        'Your route (its files are in shared-gateway-routes/<namespace>/<route>/)',
      ),
  entityRef: (z: ZodImpl): OptionalString =>
    z
      .string()
      .optional()
      .describe(
        'The catalog component the listener must belong to (its aws-gateway.io/entity-ref); only platform engineers may leave it out',
      ),
  mode: (z: ZodImpl) =>
    z
      .enum(['pull-request', 'commit'])
      .default('pull-request')
      .describe(
        'pull-request (default): a review branch and a pull request into the branch the Gateway is applied from. commit: straight to that branch',
      ),
  token: (z: ZodImpl): OptionalString =>
    z
      .string()
      .optional()
      .describe(
        "The user's own token (RepoUrlPicker's requestUserCredentials), sent only to the shared Gateway's repository host and only when it is tokenRepoUrl's; never logged",
      ),
  tokenRepoUrl: (z: ZodImpl): OptionalString =>
    z
      .string()
      .optional()
      .describe(
        'The repository the token was issued for (the RepoUrlPicker value it came with); required with token',
      ),
};

/** The outputs of both actions. */
export const sharedListenerEditOutputs = {
  gatewayDiff: (z: ZodImpl) =>
    z
      .string()
      .describe(
        "Unified diff of the shared Gateway's manifest and the route's files",
      ),
  files: (z: ZodImpl) =>
    z.array(z.string()).describe('Repository paths whose content changes'),
  deleted: (z: ZodImpl) =>
    z.array(z.string()).describe('Repository paths deleted'),
  gatewayRef: (z: ZodImpl) =>
    z.string().describe('<cluster>/<namespace>/<name> of the shared Gateway'),
  routeRef: (z: ZodImpl) => z.string().describe('<namespace>/<route name>'),
  ...sharedGatewayCommitOutputs,
  ...emptyReviewOutput,
  ...retitledReviewOutput,
};

type EditInput = {
  sharedGateway: string;
  namespace: string;
  routeName: string;
  entityRef?: string;
  mode: 'pull-request' | 'commit';
  token?: string;
  tokenRepoUrl?: string;
};

type EditContext = Pick<
  ActionContext<any, any>,
  | 'isDryRun'
  | 'signal'
  | 'logger'
  | 'checkpoint'
  | 'output'
  | 'getInitiatorCredentials'
> & {
  output(name: 'pullRequestClosed', value: boolean): void;
  output(name: 'pullRequestTitle', value: string): void;
};

/** Changes (`decide` returns the request after the change) or removes (no `decide`) the listener. */
export async function editSharedListener(
  ctx: EditContext,
  deps: SharedGatewayActionDeps,
  input: EditInput,
  edit: {
    op: 'change' | 'remove';
    actionId: string;
    /** The request after the change, one line per changed value, and the change's field for each request field. */
    decide?: (current: SharedListenerRequest) => {
      next: SharedListenerRequest;
      changes: string[];
      fields: Record<string, string>;
    };
  },
): Promise<void> {
  const { repository, settings, guardrails, clusters } = deps;
  const shared = findSharedGateway(deps.sharedGateways, input.sharedGateway);
  const repoUrl = assertAllowedRepo(shared.gitops.repoUrl, settings);
  const userToken = userTokenFor(repoUrl, input, settings);
  const routeRef = `${input.namespace}/${input.routeName}`;
  const subject = `route ${routeRef} on shared Gateway ${shared.id}`;
  ctx.output('gatewayRef', shared.id);
  ctx.output('routeRef', routeRef);
  const opener =
    input.mode === 'pull-request'
      ? await repository.pullRequestOpener(repoUrl, { userToken })
      : undefined;

  const reading = { userToken, signal: ctx.signal };
  let current = await readCurrentSharedListener(
    repository,
    repoUrl,
    shared,
    input,
    reading,
  );
  // Not merged yet but under review: the edit goes to its expose pull request's branch.
  const underReview =
    current || !opener
      ? undefined
      : await openExposeReview(
          deps.repository,
          opener,
          repoUrl,
          shared,
          input,
          reading,
        );
  if (underReview) {
    ctx.logger.info(
      `${subject} is not on ${shared.gitops.branch} yet: its pull request #${underReview.pullRequest.number} (${underReview.pullRequest.url}) is still open, so the ${edit.op} goes to its branch ${underReview.branch}`,
    );
    current = await readCurrentSharedListener(
      repository,
      repoUrl,
      shared,
      input,
      {
        ...reading,
        branch: underReview.branch,
      },
    );
  }
  // What its pull request shows (the branch against where it left the base): a removal may leave it empty, a change retitles it.
  const review = underReview
    ? await readSharedGatewayReview(repository, repoUrl, shared, {
        ...reading,
        branch: underReview.branch,
      })
    : undefined;
  /** The expose pull request's Gateway diff against where its branch left the base, with the branch's manifest as given. */
  const reviewGatewayDiff = (gatewayFile: GitOpsFile) =>
    review?.mergeBase
      ? describeFileChanges(
          review.mergeBase.file ? [review.mergeBase.file] : [],
          [gatewayFile],
        )
      : undefined;
  // After a removal on the expose pull request's branch: closed when it changes nothing, else retitled.
  const closeOrRetitle = async (
    commit: { files: GitOpsFile[]; replaces: GitOpsFile[] },
    gatewayFile: GitOpsFile,
  ) => {
    if (!underReview || !opener) return;
    await closeOrRetitleAfterRemoval(
      ctx,
      opener,
      { ...underReview, changes: review?.review.changes },
      commit,
      { subject, baseBranch: shared.gitops.branch, actionId: edit.actionId },
      () => ({
        title: removedExposeReviewTitle(shared, routeRef),
        body: changedExposeReviewBody(
          edit.actionId,
          reviewGatewayDiff(gatewayFile),
          shared.gitops.branch,
          [],
        ),
      }),
    );
  };
  if (!current) {
    const where = `${sharedListenerTargetPath(
      input.namespace,
      input.routeName,
    )} on ${underReview?.branch ?? shared.gitops.branch} of ${repoUrl.href}`;
    if (edit.op === 'change') {
      throw new NotFoundError(
        `${subject}: ${where} holds none of the portal's files; add the listener first${
          opener
            ? ''
            : ' (an expose whose pull request is still open is changed with mode pull-request: the change goes to that pull request)'
        }`,
      );
    }
    ctx.logger.info(
      underReview
        ? `${subject}: ${where} holds none of the portal's files: pull request #${underReview.pullRequest.number} adds nothing for it any more`
        : `${subject}: nothing to remove, it is already removed`,
    );
    nothingWritten(ctx, shared);
    // A re-run after a close or retitle the host refused: the branch is already as it should be.
    if (review) await closeOrRetitle({ files: [], replaces: [] }, review.file);
    return;
  }
  const backendNamespace =
    current.request.backend.namespace ?? current.request.namespace;
  await checkOwnedObjects(
    ctx,
    deps.ownership,
    {
      subject,
      entityRef: current.request.entityRef,
      kubernetesId: current.request.kubernetesId,
      namespaces: [current.request.namespace, backendNamespace],
    },
    { entityRef: input.entityRef, cluster: shared.cluster },
  );
  const decided = edit.decide?.(current.request);
  if (decided) {
    assertNamespacesAllowed(
      guardrails,
      current.request.namespace,
      backendNamespace,
    );
  }

  const { kubeConfig, profile, liveGateway, routeNamespaceLabels } =
    await readSharedGatewayCluster({
      clusters,
      guardrails,
      shared,
      routeNamespace: current.request.namespace,
      routeKind:
        L4_ROUTE_KIND_FOR_PROTOCOL[(decided?.next ?? current.request).protocol],
      // A removal renders nothing: the route's own profile, no detection.
      profile: decided ? undefined : current.profile,
      signal: ctx.signal,
    });
  // A review branch may predate the base: its listeners are held too (and kept by the merge).
  const baseRead = underReview
    ? await readSharedGatewayManifest(repository, repoUrl, shared, {
        ...reading,
        branch: shared.gitops.branch,
        targetGroupConfigurations: true,
      })
    : undefined;
  const baseGateway =
    baseRead &&
    parseSharedGatewayManifest(shared, baseRead.file.content).gateway;
  const pending: Awaited<ReturnType<typeof readOtherPendingReviews>> = decided
    ? await readOtherPendingReviews(
        ctx,
        { repository, opener },
        {
          repoUrl,
          shared,
          baseGateway:
            baseGateway ??
            parseSharedGatewayManifest(shared, current.gatewayFile.content)
              .gateway,
          exceptBranch: underReview?.branch,
          userToken,
        },
      )
    : { claims: [], targetGroupConfigurations: [] };
  const plan = planSharedListenerEdit({
    shared,
    current: current.request,
    next: decided?.next,
    // A refusal names the field the user filled in (the change form's), not the request's.
    ...(decided ? { fieldNames: decided.fields } : {}),
    repoGatewayYaml: current.gatewayFile.content,
    liveGateway,
    routeNamespaceLabels,
    profile,
    ...(baseGateway ? { baseGateway } : {}),
    pendingClaims: pending.claims,
    ...(review?.mergeBase?.file
      ? { reviewBaseGatewayYaml: review.mergeBase.file.content }
      : {}),
  });
  const routeDir = sharedListenerTargetPath(input.namespace, input.routeName);
  const routeFiles: GitOpsFile[] = plan.manifests.map(m => ({
    path: `${routeDir}/${m.path}`,
    content: manifestToYaml(m.manifest),
  }));
  const before = [current.gatewayFile, ...current.routeFiles];
  const after = [plan.gatewayFile, ...routeFiles];
  const diff = describeFileChanges(before, after);
  const deleted = current.routeFiles
    .map(f => f.path)
    .filter(p => !routeFiles.some(f => f.path === p));
  ctx.output('gatewayDiff', diff);
  const written = after.filter(
    f => before.find(b => b.path === f.path)?.content !== f.content,
  );
  ctx.output(
    'files',
    written.map(f => f.path),
  );
  ctx.output('deleted', diff ? deleted : []);
  if (decided) ctx.output('changes', decided.changes);
  // After the branch edit (a re-run after a refused retitle finds the branch as asked and retitles).
  const retitle = async () => {
    if (!underReview || !opener || !decided) return;
    await retitleExposeReview(
      ctx,
      opener,
      underReview,
      {
        title: exposeReviewTitle(shared, decided.next),
        body: changedExposeReviewBody(
          edit.actionId,
          reviewGatewayDiff(plan.gatewayFile),
          shared.gitops.branch,
          routeFiles.map(f => f.path),
        ),
      },
      subject,
    );
  };
  if (!diff) {
    ctx.logger.info(`${subject} already has these values; nothing to change`);
    nothingWritten(ctx, shared, current);
    await retitle();
    return;
  }

  await dryRunSharedGatewayEdit(
    ctx,
    kubeConfig,
    shared,
    {
      gatewayYaml: plan.gatewayFile.content,
      manifests: plan.manifests.map(m => m.manifest),
    },
    {
      what: edit.op,
      // A change's one route and backend: the Service a TargetGroupConfiguration is for.
      serviceField:
        decided?.fields['backend.service'] ??
        'change.routes[0].backends[0].service',
      // The base's (a review branch's own are ours) and the other open reviews'.
      committed: {
        base: (baseRead ?? current).committed,
        reviews: pending.targetGroupConfigurations,
        reviewsNote: pending.targetGroupConfigurationsNote,
      },
    },
  );
  if (edit.op === 'change') ctx.output('serverDryRun', 'passed');
  ctx.logger.info(
    `${edit.op === 'change' ? 'Change of' : 'Removal of'} ${subject} (${
      current.branch
    } at ${current.commitSha}):\n${diff}`,
  );

  const baseBranch = shared.gitops.branch;
  let branch = underReview?.branch ?? baseBranch;
  if (opener && !underReview)
    branch = await chooseSharedReviewBranch(
      ctx,
      { repository, opener },
      {
        repoUrl,
        preferred: sharedReviewBranch(
          input.namespace,
          input.routeName,
          `${edit.op}-${intentDigest(current, before, after)}`,
        ),
        baseBranch,
        userToken,
        step: `shared-listener-${edit.op}`,
      },
    );
  // What the commit replaces is what the branch holds now: a re-run's review branch, else the base.
  const onBranch =
    opener && !underReview
      ? await readBranchFiles(deps, repoUrl, shared, input, branch, {
          userToken,
          signal: ctx.signal,
        })
      : before;
  const message = `${
    edit.op === 'change'
      ? `Change ${subject} (${decided!.changes.join('; ')})`
      : `Remove ${subject} (listener ${current.request.listenerName})`
  }${
    underReview
      ? `, still under review in pull request #${underReview.pullRequest.number}`
      : ''
  }`;
  await commitToSharedGateway(
    ctx,
    { repository, settings, opener },
    {
      repoUrl,
      branch,
      baseBranch,
      files: after,
      replaces: onBranch,
      message,
      body: `Opened by Backstage (${edit.actionId}).\n\n\`\`\`diff\n${diff}\`\`\`\n`,
      userToken,
      step: `shared-listener-${edit.op}`,
    },
  );
  await retitle();
  if (underReview && edit.op === 'remove') {
    ctx.logger.info(
      `Pull request #${underReview.pullRequest.number} now adds nothing for ${subject}`,
    );
    await closeOrRetitle(
      { files: after, replaces: onBranch },
      plan.gatewayFile,
    );
  }
}

/**
 * The user's token for the shared Gateway's repository: a token is issued
 * for one host (the repository the user picked), so it goes to the shared
 * Gateway's repository only when that is on the same host; elsewhere the
 * integration's credentials are used. A token without the repository it is
 * for is refused, naming the field.
 */
export function userTokenFor(
  repoUrl: RepositoryUrl,
  input: { token?: string; tokenRepoUrl?: string },
  settings: GitOpsSettings,
): string | undefined {
  if (!input.token) return undefined;
  if (!input.tokenRepoUrl) {
    throw new InputError(
      'tokenRepoUrl: name the repository the token was issued for (the RepoUrlPicker value it came with); it is sent to no other host',
    );
  }
  const issuedFor = assertAllowedRepo(input.tokenRepoUrl, settings);
  return issuedFor.protocol === repoUrl.protocol &&
    issuedFor.host === repoUrl.host
    ? input.token
    : undefined;
}

function nothingWritten(
  ctx: EditContext,
  shared: SharedGateway,
  current?: CurrentSharedListener,
) {
  ctx.output('branch', shared.gitops.branch);
  if (current) ctx.output('commitSha', current.commitSha);
  ctx.output('changed', false);
  if (!current) {
    ctx.output('files', []);
    ctx.output('deleted', []);
    ctx.output('gatewayDiff', '');
  }
}

/**
 * Names the review branch after the edit itself (this listener, from what
 * it is to what it becomes): a re-run finds its own branch and pull request,
 * and a later edit starts a fresh branch from the Gateway's branch instead
 * of one an earlier, merged edit left behind.
 */
function intentDigest(
  current: CurrentSharedListener,
  before: GitOpsFile[],
  after: GitOpsFile[],
): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify(current.request));
  for (const f of [...before.slice(1), ...after.slice(1)])
    hash.update(`\n${f.path}\n${f.content}`);
  // Only this listener: other teams' listeners merged meanwhile do not make it another edit.
  const listeners = yaml.parse(after[0].content)?.spec?.listeners;
  hash.update(
    JSON.stringify(
      (Array.isArray(listeners) ? listeners : []).find(
        l => l?.name === current.request.listenerName,
      ) ?? null,
    ),
  );
  return hash.digest('hex').slice(0, 10);
}

/** The Gateway's manifest and the route's files on the review branch (or the base it starts from). */
async function readBranchFiles(
  deps: SharedGatewayActionDeps,
  repoUrl: RepositoryUrl,
  shared: SharedGateway,
  where: { namespace: string; routeName: string },
  branch: string,
  options: { userToken?: string; signal?: AbortSignal },
): Promise<GitOpsFile[]> {
  const on = { branch, baseBranch: shared.gitops.branch, ...options };
  const gateway = await readSharedGatewayManifest(
    deps.repository,
    repoUrl,
    shared,
    on,
  );
  const folder = await readSharedRouteFolder(
    deps.repository,
    repoUrl,
    where,
    on,
  );
  return [gateway.file, ...folder.files];
}
