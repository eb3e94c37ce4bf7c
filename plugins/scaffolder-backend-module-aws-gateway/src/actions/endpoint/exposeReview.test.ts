import { createHash } from 'node:crypto';
import { NotAllowedError } from '@backstage/errors';
import { testActionContext } from '../support/__testUtils__/testContext';
import {
  changedExposeReviewBody,
  closeEmptyReview,
  closeOrRetitleAfterRemoval,
  exposeReviewTitle,
  removedExposeReviewTitle,
  retitleExposeReview,
} from './exposeReview';

const REVIEW = {
  branch: 'aws-gateway/shared-team-b-api',
  pullRequest: { number: 6, url: 'https://git.example.com/pulls/6' },
};
const WHY = {
  subject: 'route team-b/api on shared Gateway prod/gw/shared',
  baseBranch: 'main',
  actionId: 'aws-gateway:endpoint:remove-shared-listener',
};

describe('closeEmptyReview', () => {
  it('comments why and closes, once per task (a checkpoint)', async () => {
    const store = new Map();
    const close = jest.fn(async () => undefined);
    for (let i = 0; i < 2; i++) {
      const ctx = testActionContext({}, { store });
      await closeEmptyReview(ctx, { close }, REVIEW, WHY);
      expect(ctx.output).toHaveBeenCalledWith('pullRequestClosed', true);
    }
    expect(close).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledWith(
      6,
      `Closed by Backstage (aws-gateway:endpoint:remove-shared-listener): ${WHY.subject} was removed from ${REVIEW.branch} before this pull request was merged, so it no longer changes anything relative to main. The branch is left as it is.`,
      { signal: undefined },
    );
  });

  it('in a dry run, says it would close and calls nothing', async () => {
    const close = jest.fn();
    const ctx = testActionContext({}, { isDryRun: true });
    const info = jest.spyOn(ctx.logger, 'info');
    await closeEmptyReview(ctx, { close }, REVIEW, WHY);
    expect(close).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('pullRequestClosed', true);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining(
        '#6 (https://git.example.com/pulls/6) would then change nothing relative to main: it would be closed',
      ),
    );
  });

  it("a refused close is the host's answer, said with what is done and how to finish; a re-run closes it", async () => {
    const store = new Map();
    const refused = jest.fn(async () => {
      throw new NotAllowedError(
        'token: the gitea API for https://git.example.com/p.git answered HTTP 403 when asked to close the pull request',
      );
    });
    const ctx = testActionContext({}, { store });
    const failure = closeEmptyReview(ctx, { close: refused }, REVIEW, WHY);
    await expect(failure).rejects.toBeInstanceOf(NotAllowedError);
    await expect(failure).rejects.toThrow(
      /is removed from aws-gateway\/shared-team-b-api, and pull request #6 \(.*\) now changes nothing, but it could not be closed: token: .*HTTP 403.*Run the task again to close it/,
    );
    expect(ctx.output).not.toHaveBeenCalledWith('pullRequestClosed', true);
    const close = jest.fn(async () => undefined);
    await closeEmptyReview(
      testActionContext({}, { store }),
      { close },
      REVIEW,
      WHY,
    );
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('retitleExposeReview', () => {
  const text = {
    title: exposeReviewTitle(
      { namespace: 'gw', name: 'shared' },
      {
        listenerName: 'team-b-api',
        protocol: 'TCP',
        listenerPort: 20012,
        namespace: 'team-b',
        backend: { service: 'api', port: 8080 },
      },
    ),
    body: changedExposeReviewBody(
      'aws-gateway:endpoint:change-shared-listener',
      undefined,
      'main',
      ['shared-gateway-routes/team-b/api/tcproute-api.yaml'],
    ),
  };

  it('names the listener as the branch has it; a description that cannot say the diff says so', () => {
    expect(text.title).toBe(
      'Listener team-b-api (TCP 20012) on shared Gateway gw/shared for team-b/api:8080',
    );
    expect(text.body).toBe(
      "Opened by Backstage (aws-gateway:endpoint:shared-listener), changed while under review by Backstage (aws-gateway:endpoint:change-shared-listener).\n\nWhere this branch left main is not known: see the pull request's changes.\n\nRoute files:\n- shared-gateway-routes/team-b/api/tcproute-api.yaml\n",
    );
  });

  it('sets the title and description once per task (a checkpoint); a dry run says it would and calls nothing', async () => {
    const store = new Map();
    const retitle = jest.fn(async () => undefined);
    for (let i = 0; i < 2; i++) {
      const ctx = testActionContext({}, { store });
      await retitleExposeReview(ctx, { retitle }, REVIEW, text, WHY.subject);
      expect(ctx.output).toHaveBeenCalledWith('pullRequestTitle', text.title);
    }
    expect(retitle).toHaveBeenCalledTimes(1);
    expect(retitle).toHaveBeenCalledWith(6, text, { signal: undefined });

    const dryRun = testActionContext({}, { isDryRun: true });
    const info = jest.spyOn(dryRun.logger, 'info');
    const never = jest.fn();
    await retitleExposeReview(
      dryRun,
      { retitle: never },
      REVIEW,
      text,
      WHY.subject,
    );
    expect(never).not.toHaveBeenCalled();
    expect(dryRun.output).toHaveBeenCalledWith('pullRequestTitle', text.title);
    expect(info).toHaveBeenCalledWith(
      `Pull request #6 (https://git.example.com/pulls/6) would be retitled "${text.title}", its description saying what it changes now`,
    );
  });

  it("a refused retitle is the host's answer, said with what is done and how to finish; a re-run retitles", async () => {
    const store = new Map();
    const refused = jest.fn(async () => {
      throw new NotAllowedError(
        'token: the gitea API for https://git.example.com/p.git answered HTTP 403 when asked to retitle the pull request',
      );
    });
    const ctx = testActionContext({}, { store });
    const failure = retitleExposeReview(
      ctx,
      { retitle: refused },
      REVIEW,
      text,
      WHY.subject,
    );
    await expect(failure).rejects.toBeInstanceOf(NotAllowedError);
    await expect(failure).rejects.toThrow(
      /is changed on aws-gateway\/shared-team-b-api, but pull request #6 \(.*\) could not be retitled "Listener team-b-api \(TCP 20012\).*": token: .*HTTP 403.*Run the task again to retitle it/,
    );
    expect(ctx.output).not.toHaveBeenCalledWith('pullRequestTitle', text.title);
    const retitle = jest.fn(async () => undefined);
    await retitleExposeReview(
      testActionContext({}, { store }),
      { retitle },
      REVIEW,
      text,
      WHY.subject,
    );
    expect(retitle).toHaveBeenCalledTimes(1);
  });
});

describe('closeOrRetitleAfterRemoval', () => {
  /** A blob's id as git names it. */
  const blobId = (content: string) =>
    createHash('sha1')
      .update(`blob ${Buffer.byteLength(content)}\0${content}`)
      .digest('hex');
  const GATEWAY = 'gateways/shared.yaml';
  const ROUTE = 'shared-gateway-routes/team-b/api/tcproute-api.yaml';
  const atBase = 'listeners: [a]\n';
  const onBranch = 'listeners: [a, team-b-api, team-b-extra]\n';
  const route = 'kind: TCPRoute\n';
  // The pull request adds two listeners and the route; the removal takes one listener and the route.
  const changes = {
    changes: [
      { path: GATEWAY, from: blobId(atBase), to: blobId(onBranch) },
      { path: ROUTE, to: blobId(route) },
    ],
    complete: true,
  };
  const replaces = [
    { path: GATEWAY, content: onBranch },
    { path: ROUTE, content: route },
  ];
  const text = () => ({
    title: removedExposeReviewTitle(
      { namespace: 'gw', name: 'shared' },
      'team-b/api',
    ),
    body: changedExposeReviewBody(WHY.actionId, undefined, 'main', []),
  });
  const settle = async (
    review: { changes?: typeof changes },
    written: string,
    isDryRun = false,
  ) => {
    const ctx = testActionContext({}, { isDryRun });
    const info = jest.spyOn(ctx.logger, 'info');
    const opener = {
      close: jest.fn(async () => undefined),
      retitle: jest.fn(async () => undefined),
    };
    await closeOrRetitleAfterRemoval(
      ctx,
      opener,
      { ...REVIEW, ...review },
      { files: [{ path: GATEWAY, content: written }], replaces },
      WHY,
      text,
    );
    return { ctx, opener, logs: info.mock.calls.map(c => String(c[0])) };
  };

  it('closes a pull request the removal leaves changing nothing', async () => {
    const { ctx, opener } = await settle({ changes }, atBase);
    expect(opener.close).toHaveBeenCalledTimes(1);
    expect(opener.retitle).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('pullRequestClosed', true);
  });

  it('retitles, and leaves open, a pull request that still changes something: its title names the route removed, its description what is left', async () => {
    const { ctx, opener, logs } = await settle(
      { changes },
      'listeners: [a, team-b-extra]\n',
    );
    expect(opener.close).not.toHaveBeenCalled();
    expect(opener.retitle).toHaveBeenCalledWith(6, text(), {
      signal: undefined,
    });
    expect(text().title).toBe(
      'Shared Gateway gw/shared: what is left after route team-b/api was removed',
    );
    expect(text().body).toContain(
      'Route files:\n- none (the route was removed)\n',
    );
    expect(ctx.output).toHaveBeenCalledWith('pullRequestClosed', false);
    expect(ctx.output).toHaveBeenCalledWith('pullRequestTitle', text().title);
    expect(logs).toContain(
      'Pull request #6 still changes something relative to where it left main (or that is not known): it stays open, retitled',
    );
  });

  it('retitles when what the pull request changes is not known (no merge base, or too many changes to list)', async () => {
    for (const review of [{}, { changes: { ...changes, complete: false } }]) {
      const { ctx, opener } = await settle(review, atBase);
      expect(opener.close).not.toHaveBeenCalled();
      expect(opener.retitle).toHaveBeenCalledTimes(1);
      expect(ctx.output).toHaveBeenCalledWith('pullRequestClosed', false);
    }
  });

  it('in a dry run, says which it would do and calls nothing', async () => {
    const kept = await settle(
      { changes },
      'listeners: [a, team-b-extra]\n',
      true,
    );
    expect(kept.opener.retitle).not.toHaveBeenCalled();
    expect(kept.ctx.output).toHaveBeenCalledWith('pullRequestClosed', false);
    expect(kept.logs).toContain(
      `Pull request #6 (https://git.example.com/pulls/6) would be retitled "${
        text().title
      }", its description saying what it changes now`,
    );
    const emptied = await settle({ changes }, atBase, true);
    expect(emptied.opener.close).not.toHaveBeenCalled();
    expect(emptied.ctx.output).toHaveBeenCalledWith('pullRequestClosed', true);
  });

  it('a refused retitle after a removal says the route is removed from the branch and how to finish', async () => {
    const ctx = testActionContext({});
    const refused = jest.fn(async () => {
      throw new NotAllowedError(
        'HTTP 403 when asked to retitle the pull request',
      );
    });
    await expect(
      closeOrRetitleAfterRemoval(
        ctx,
        { close: jest.fn(), retitle: refused },
        { ...REVIEW, changes },
        {
          files: [{ path: GATEWAY, content: 'listeners: [a, team-b-extra]\n' }],
          replaces,
        },
        WHY,
        text,
      ),
    ).rejects.toThrow(
      /is removed from aws-gateway\/shared-team-b-api, but pull request #6 .* could not be retitled "Shared Gateway gw\/shared: what is left after route team-b\/api was removed": HTTP 403 .*Run the task again to retitle it/,
    );
    expect(ctx.output).not.toHaveBeenCalledWith('pullRequestClosed', false);
  });
});
