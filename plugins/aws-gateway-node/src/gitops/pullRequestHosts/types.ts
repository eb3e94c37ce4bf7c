import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitRemote } from '../gitCredentials';
import { ForgeHttp } from '../forgeHttp';

/** What to open: a pull request from `head` into `base`. @public */
export interface PullRequestRequest {
  head: string;
  base: string;
  title: string;
  body?: string;
  /** User names asked to review (checked by checkPullRequestExtras before anything is pushed). */
  reviewers?: string[];
  labels?: string[];
  /** Opened as a draft (GitHub: draft; GitLab: "Draft:" title; Gitea: "WIP:" title). */
  draft?: boolean;
}

/** A pull request's title and description. @public */
export interface PullRequestText {
  title: string;
  body: string;
}

/** @public */
export interface PullRequestResult {
  /** The provider's number for it (GitLab: the merge request's iid). */
  number: number;
  /** Browser URL. */
  url: string;
  /** False when an open pull request with the same head and base was reused. */
  created: boolean;
}

/** An open pull request as the host lists it. @public */
export interface OpenPullRequest {
  number: number;
  /** Browser URL. */
  url: string;
}

/** An open pull request and the branch it proposes. @public */
export interface OpenPullRequestHead extends OpenPullRequest {
  head: string;
}

/** The open pull requests into a base whose head starts with a prefix, newest first. @public */
export interface OpenPullRequestList {
  pullRequests: OpenPullRequestHead[];
  /** False when the host has more than were read (the bound, or its page limit). */
  complete: boolean;
}

/** One repository on one pull request host, with the credentials in use. */
export interface PullRequestHost {
  /** The open pull request of head into base, if there is one. */
  findOpen(
    head: string,
    base: string,
    http: ForgeHttp,
  ): Promise<OpenPullRequest | undefined>;
  /**
   * The open pull requests into `base` whose head branch starts with
   * `headPrefix`, newest first, at most `limit` (a bounded number of pages).
   */
  listOpen(
    base: string,
    filter: { headPrefix: string; limit: number },
    http: ForgeHttp,
  ): Promise<OpenPullRequestList>;
  /**
   * Reuses the open pull request of head into base, else opens one; then
   * asks for the reviewers and adds the labels (both idempotent, so a re-run
   * after a failure half way finishes the job).
   */
  open(
    request: PullRequestRequest,
    http: ForgeHttp,
  ): Promise<PullRequestResult>;
  /** Whether the pull request has a comment `matches` accepts, however many comments it has. */
  hasComment(
    number: number,
    matches: (body: string) => boolean,
    http: ForgeHttp,
  ): Promise<boolean>;
  /**
   * Closes the pull request without merging it (Azure DevOps: abandons it),
   * after the comment saying why when one is given; its branch is left as it is.
   */
  close(
    number: number,
    comment: string | undefined,
    http: ForgeHttp,
  ): Promise<void>;
  /** Sets the pull request's title and description (idempotent). */
  retitle(
    number: number,
    text: PullRequestText,
    http: ForgeHttp,
  ): Promise<void>;
  /** The shape of a pull request's browser URL, for a dry run; calls nothing. */
  previewUrl(number: number): string;
}

/** Builds a host client for a repository; makes no request. */
export type PullRequestHostFactory = (
  integrations: ScmIntegrationRegistry,
  remote: GitRemote,
) => PullRequestHost;
