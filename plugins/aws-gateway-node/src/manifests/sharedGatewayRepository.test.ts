import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import yaml from 'yaml';
import {
  GitOpsDirectory,
  GitOpsFile,
  GitOpsReviewBranch,
} from '../gitops/types';
import { OpenPullRequestHead } from '../gitops/pullRequests';
import { parseRepositoryUrl } from '../urls/repositoryUrl';
import {
  SHARED_GATEWAY_ENTRY,
  SHARED_GATEWAY_GITOPS,
  SHARED_GATEWAY_YAML,
} from './__fixtures__/sharedGateway';
import { readSharedGateways } from './sharedGatewayConfig';
import {
  MAX_PENDING_REVIEWS_READ,
  pendingListenerClaims,
  readPendingSharedReviews,
  readSharedGatewayManifest,
  sharedReviewBranch,
} from './sharedGatewayRepository';
import { COMMITTED_TARGET_GROUP_CONFIGURATION_FILES } from './sharedTargetGroupConfigurations';

const [SHARED] = readSharedGateways(
  new ConfigReader({
    awsGateway: { provisioning: { sharedGateways: [SHARED_GATEWAY_ENTRY] } },
  }),
);
const REPO = parseRepositoryUrl(SHARED_GATEWAY_GITOPS.repoUrl, 'repoUrl');
const BASE = yaml.parse(SHARED_GATEWAY_YAML);

/** The base manifest with these listeners appended, as a review branch holds it. */
const withListeners = (...listeners: string[]) =>
  `${SHARED_GATEWAY_YAML}${listeners.join('')}`;
const listener = (name: string, port: number, protocol = 'TCP') =>
  `    - name: ${name}\n      protocol: ${protocol}\n      port: ${port}\n`;

function pr(number: number, head: string): OpenPullRequestHead {
  return { number, url: `https://git.example.com/pulls/${number}`, head };
}

/**
 * A repository whose review branches hold these manifests (a missing one
 * reads as an error), each left main where main's manifest was
 * SHARED_GATEWAY_YAML unless it says otherwise (`mergeBase`; null: not found).
 */
function repositoryWith(
  manifests: Record<
    string,
    | string
    | {
        head: string;
        mergeBase: string | null;
        /** Files below the layout's folders on the head, and the paths changed since the merge base. */
        below?: { files: GitOpsFile[]; changed: string[]; complete?: boolean };
      }
  >,
  open: { pullRequests: OpenPullRequestHead[]; complete: boolean } | Error,
) {
  const listOpen = jest.fn(async () => {
    if (open instanceof Error) throw open;
    return open;
  });
  const folder = (content: string, branch: string): GitOpsDirectory => ({
    files: [{ path: SHARED_GATEWAY_GITOPS.path, content }],
    branch,
    commitSha: 'c'.repeat(40),
  });
  const readBranch = jest.fn(
    async (branch: string): Promise<GitOpsReviewBranch> => {
      const entry = manifests[branch];
      if (entry === undefined) throw new Error(`${branch}: a symbolic link`);
      const { head, mergeBase, below } =
        typeof entry === 'string'
          ? { head: entry, mergeBase: SHARED_GATEWAY_YAML, below: undefined }
          : entry;
      return {
        head: {
          ...folder(head, branch),
          below: {
            files: below?.files ?? [],
            complete: below?.complete ?? true,
          },
        },
        ...(mergeBase === null ? {} : { mergeBase: folder(mergeBase, 'main') }),
        ...(below && mergeBase !== null
          ? {
              changes: {
                changes: below.changed.map(path => ({
                  path,
                  to: 'b'.repeat(40),
                })),
                complete: true,
              },
            }
          : {}),
      };
    },
  );
  // One reader per read of the pending reviews: what the branches share is read once.
  const reviewBranchReader = jest.fn(
    (_repo: unknown, options: { baseBranch: string; directory: string }) => {
      expect(options).toMatchObject({
        directory: 'platform/gateways',
        baseBranch: 'main',
        filesBelow: COMMITTED_TARGET_GROUP_CONFIGURATION_FILES,
      });
      return { read: readBranch };
    },
  );
  return {
    repository: {
      reviewBranchReader,
      pullRequestOpener: jest.fn(async () => ({ listOpen } as any)),
    },
    listOpen,
    reviewBranchReader,
    readBranch,
  };
}

describe('pendingListenerClaims', () => {
  const review = { branch: 'b', pullRequest: { number: 4, url: 'u' } };

  it('claims the listeners a branch adds or moves, not those the base has', () => {
    const branch = withListeners(listener('team-b-db', 20003)).replace(
      'port: 20000',
      'port: 20009',
    );
    const compared = { base: BASE, since: BASE };
    expect(pendingListenerClaims(SHARED, compared, branch, review)).toEqual([
      { name: 'platform-dns', protocol: 'UDP', port: 20009, ...review },
      { name: 'team-b-db', protocol: 'TCP', port: 20003, ...review },
    ]);
    expect(
      pendingListenerClaims(SHARED, compared, SHARED_GATEWAY_YAML, review),
    ).toEqual([]);
  });

  it('claims only what a branch adds since it left the base: a listener removed from the base since is not claimed', () => {
    const removed = listener('team-c-old', 20005);
    // Where the branch left main, main still had team-c-old; main removed it since.
    const since = yaml.parse(withListeners(removed));
    const branch = withListeners(removed, listener('team-b-db', 20003));
    expect(
      pendingListenerClaims(SHARED, { base: BASE, since }, branch, review),
    ).toEqual([{ name: 'team-b-db', protocol: 'TCP', port: 20003, ...review }]);
    // Compared with today's base instead (no merge base known), it is held: the safe side.
    expect(
      pendingListenerClaims(
        SHARED,
        { base: BASE, since: BASE },
        branch,
        review,
      ).map(c => c.name),
    ).toEqual(['team-c-old', 'team-b-db']);
    // Added since and merged meanwhile: the base holds it, it is not pending.
    expect(
      pendingListenerClaims(
        SHARED,
        {
          base: yaml.parse(withListeners(listener('team-b-db', 20003))),
          since: BASE,
        },
        withListeners(listener('team-b-db', 20003)),
        review,
      ),
    ).toEqual([]);
  });

  it('refuses a branch manifest that is not the Gateway (hostile content)', () => {
    expect(() =>
      pendingListenerClaims(
        SHARED,
        { base: BASE, since: BASE },
        'a: &x 1\nb: *x\n',
        review,
      ),
    ).toThrow(/\[shared-gateway-manifest-invalid\]/);
  });
});

describe('readPendingSharedReviews', () => {
  const read = (
    repo: ReturnType<typeof repositoryWith>,
    extra: { exceptBranch?: string } = {},
  ) =>
    readPendingSharedReviews({
      repository: repo.repository as any,
      repoUrl: REPO,
      shared: SHARED,
      baseGateway: BASE,
      ...extra,
    });

  it("reads the portal's open reviews into the Gateway's branch, except the run's own", async () => {
    const mine = sharedReviewBranch('team-a', 'db');
    const theirs = sharedReviewBranch('team-b', 'db');
    const repo = repositoryWith(
      {
        [mine]: withListeners(listener('team-a-db', 20001)),
        [theirs]: withListeners(listener('team-b-db', 20003)),
      },
      { pullRequests: [pr(5, theirs), pr(4, mine)], complete: true },
    );
    const pending = await read(repo, { exceptBranch: mine });
    expect(pending).toEqual({
      listed: true,
      read: 1,
      claims: [
        {
          name: 'team-b-db',
          protocol: 'TCP',
          port: 20003,
          branch: theirs,
          pullRequest: { number: 5, url: 'https://git.example.com/pulls/5' },
        },
      ],
      targetGroupConfigurations: [],
    });
    expect(repo.listOpen).toHaveBeenCalledWith(
      'main',
      {
        headPrefix: 'aws-gateway/shared-',
        limit: MAX_PENDING_REVIEWS_READ + 1,
      },
      { signal: undefined },
    );
    expect(repo.reviewBranchReader).toHaveBeenCalledTimes(1);
    expect(repo.readBranch).toHaveBeenCalledTimes(1);
  });

  it("compares each branch with where it left the base: a removal merged since is not held by an older review; without a merge base in reach, with today's base, and says so", async () => {
    const old = sharedReviewBranch('team-c', 'old');
    const far = sharedReviewBranch('team-d', 'far');
    const removed = listener('team-c-old', 20005);
    const repo = repositoryWith(
      {
        [old]: {
          head: withListeners(removed, listener('team-c-new', 20006)),
          mergeBase: withListeners(removed),
        },
        [far]: {
          head: withListeners(removed, listener('team-d-far', 20007)),
          mergeBase: null,
        },
      },
      { pullRequests: [pr(8, far), pr(7, old)], complete: true },
    );
    const pending = await read(repo);
    // #7 claims only what it added; #8, with no merge base known, also the removed listener.
    expect(
      pending.claims.map(c => `${c.name} #${c.pullRequest.number}`).sort(),
    ).toEqual(['team-c-new #7', 'team-c-old #8', 'team-d-far #8']);
    expect(pending.note).toBe(
      'where pull request #8 left main was not found within 128 commits: it was compared with main as it is now (a listener removed there since counts as held)',
    );
  });

  it('says what is not known: a host that cannot list, a branch that cannot be read, reviews beyond the bound', async () => {
    const unlisted = await read(
      repositoryWith(
        {},
        new ServiceUnavailableError('the gitea API did not answer within 10 s'),
      ),
    );
    expect(unlisted).toMatchObject({ listed: false, read: 0, claims: [] });
    expect(unlisted.note).toMatch(
      /could not be listed \(the gitea API did not answer within 10 s\): ports that reviews still open claim are not known/,
    );

    const heads = Array.from({ length: MAX_PENDING_REVIEWS_READ }, (_, i) =>
      sharedReviewBranch('team', `r${i}`),
    );
    const repo = repositoryWith(
      Object.fromEntries(
        heads
          .slice(1)
          .map((h, i) => [h, withListeners(listener(h, 20001 + i))]),
      ),
      { pullRequests: heads.map((h, i) => pr(i + 1, h)), complete: false },
    );
    const partial = await read(repo);
    expect(partial.listed).toBe(true);
    expect(partial.read).toBe(MAX_PENDING_REVIEWS_READ);
    expect(partial.claims).toHaveLength(MAX_PENDING_REVIEWS_READ - 1);
    // Every branch through one reader: one listing and one base fetch for all.
    expect(repo.reviewBranchReader).toHaveBeenCalledTimes(1);
    expect(repo.readBranch).toHaveBeenCalledTimes(MAX_PENDING_REVIEWS_READ);
    expect(partial.note).toBe(
      `the manifest of pull request #1 (${heads[0]}: a symbolic link) could not be read: its ports are not known; only the newest ${MAX_PENDING_REVIEWS_READ} open review pull requests were read: older ones may claim ports too`,
    );
  });

  it('gives the TargetGroupConfigurations a review adds or changes, with its pull request, not those it only carries', async () => {
    const tgc = (name: string, service: string) =>
      `apiVersion: gateway.k8s.aws/v1beta1\nkind: TargetGroupConfiguration\nmetadata:\n  name: ${name}\n  namespace: team-a\nspec:\n  targetReference:\n    name: ${service}\n`;
    const added =
      'shared-gateway-routes/team-b/pg/targetgroupconfiguration-pg.yaml';
    const carried = 'gateways/team-a/old/targetgroupconfiguration-old.yaml';
    const branch = sharedReviewBranch('team-b', 'pg');
    const pending = await read(
      repositoryWith(
        {
          [branch]: {
            head: withListeners(listener('team-b-pg', 20004, 'TLS')),
            mergeBase: SHARED_GATEWAY_YAML,
            below: {
              files: [
                { path: carried, content: tgc('old', 'postgres') },
                { path: added, content: tgc('pg', 'postgres') },
              ],
              changed: [added, 'platform/gateways/shared-nlb.yaml'],
            },
          },
        },
        { pullRequests: [pr(9, branch)], complete: true },
      ),
    );
    expect(pending.targetGroupConfigurations).toEqual([
      {
        item: expect.objectContaining({
          metadata: { name: 'pg', namespace: 'team-a' },
        }),
        where: `proposed in ${added} by pull request https://git.example.com/pulls/9`,
      },
    ]);
    expect(pending.note).toBeUndefined();
  });

  it('says which review the TargetGroupConfigurations were not all read of, and the bound its read met', async () => {
    const branch = sharedReviewBranch('team-b', 'big');
    const file = (i: number) => ({
      path: `gateways/team-b/g${i}/gateway-g${i}.yaml`,
      content: 'kind: Gateway\n',
    });
    const pending = await read(
      repositoryWith(
        {
          [branch]: {
            head: SHARED_GATEWAY_YAML,
            mergeBase: null,
            below: {
              files: Array.from({ length: 1024 }, (_, i) => file(i)),
              changed: [],
              complete: false,
            },
          },
        },
        { pullRequests: [pr(12, branch)], complete: true },
      ),
    );
    const bound =
      'not every file below gateways/ and shared-gateway-routes/ in pull request #12 was read for TargetGroupConfigurations (it stopped at the bound of 1024 files): one for the Service there may be missed';
    expect(pending.targetGroupConfigurationsNote).toBe(bound);
    expect(pending.note).toContain(bound);
  });

  it('stops at a cancellation instead of reporting it as unknown', async () => {
    const controller = new AbortController();
    controller.abort();
    const repo = repositoryWith({}, new Error('aborted'));
    await expect(
      readPendingSharedReviews({
        repository: repo.repository as any,
        repoUrl: REPO,
        shared: SHARED,
        baseGateway: BASE,
        signal: controller.signal,
      }),
    ).rejects.toThrow();
  });
});

describe('readSharedGatewayManifest', () => {
  const readFiles = (below: { files: GitOpsFile[]; complete: boolean }) => ({
    readFiles: jest.fn(
      async (): Promise<GitOpsDirectory> => ({
        files: [
          { path: SHARED_GATEWAY_GITOPS.path, content: SHARED_GATEWAY_YAML },
        ],
        branch: 'main',
        commitSha: 'c'.repeat(40),
        below,
      }),
    ),
  });
  const committed = async (below: { files: GitOpsFile[]; complete: boolean }) =>
    (
      await readSharedGatewayManifest(readFiles(below), REPO, SHARED, {
        branch: 'main',
        targetGroupConfigurations: true,
      })
    ).committed;

  it('says which bound the walk for committed TargetGroupConfigurations met, instead of only that it was incomplete', async () => {
    expect(await committed({ files: [], complete: true })).toEqual({
      found: [],
      complete: true,
    });
    const many = Array.from({ length: 1024 }, (_, i) => ({
      path: `gateways/a/g${i}/x.yaml`,
      content: 'kind: Gateway\n',
    }));
    expect((await committed({ files: many, complete: false }))?.note).toBe(
      'not every file below gateways/ and shared-gateway-routes/ on main was read for TargetGroupConfigurations (it stopped at the bound of 1024 files): one for the Service there may be missed',
    );
    expect(
      (await committed({ files: many.slice(0, 3), complete: false }))?.note,
    ).toBe(
      'not every file below gateways/ and shared-gateway-routes/ on main was read for TargetGroupConfigurations (files over the bound of 256 KiB each were left out): one for the Service there may be missed',
    );
  });
});
