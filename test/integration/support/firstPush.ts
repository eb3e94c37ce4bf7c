import type { HttpClient } from 'isomorphic-git';

/**
 * A `wrapHttp` for GitOpsRepository that runs `beforePush` once, right before
 * the first push request (git-receive-pack) goes to the server; `happened()`
 * says whether it ran.
 */
export function onFirstPush(beforePush: () => void): {
  wrapHttp: (base: HttpClient) => HttpClient;
  happened: () => boolean;
} {
  let happened = false;
  const wrapHttp = (base: HttpClient): HttpClient => ({
    request: async req => {
      if (
        !happened &&
        req.method === 'POST' &&
        req.url.endsWith('/git-receive-pack')
      ) {
        happened = true;
        beforePush();
      }
      return base.request(req);
    },
  });
  return { wrapHttp, happened: () => happened };
}
