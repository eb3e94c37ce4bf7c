import { GitOpsFileStatus, TreeChange } from './objectStore';
import { RepositoryUrl } from '../urls/repositoryUrl';

/** What GitOpsRepository takes and answers. */

/** A file to commit, path relative to the repository root. @public */
export interface GitOpsFile {
  path: string;
  content: string;
}

/** @public */
export interface GitIdentity {
  name: string;
  email: string;
}

/** @public */
export interface CommitFilesOptions {
  /** HTTPS clone URL of an existing repository (normalised with `parseRepositoryUrl` when a string). */
  repoUrl: string | RepositoryUrl;
  /** Branch to commit to; created from `baseBranch` when it does not exist. */
  branch: string;
  /** Where a new branch starts; default: the repository's default branch. */
  baseBranch?: string;
  files: GitOpsFile[];
  message: string;
  author: GitIdentity;
  committer?: GitIdentity;
  /** Replace existing files whose content differs. Default false: such files are a conflict. */
  overwrite?: boolean;
  /**
   * The folder `files` make up alone (one object, one path): an existing file
   * in `directory` whose name matches `names` but is not among `files` is a
   * conflict, whatever `overwrite` says — another render of the same object
   * left it there (a second route on someone else's Gateway, say). Other
   * files (a kustomization.yaml) are left alone.
   */
  ownedFiles?: { directory: string; names: RegExp };
  /**
   * The files on the branch this commit replaces, with the content they were
   * read with (`readFiles`): each must still have it (else a conflict: changed
   * since it was read), may be updated without `overwrite`, and is deleted
   * when it is not among `files`. With it, `files` may be empty: a removal.
   */
  replaces?: GitOpsFile[];
  /**
   * The user's token (RepoUrlPicker's `requestUserCredentials`): read and push
   * with it instead of the integration's credentials; refused, it is an
   * error naming `token`, never a fall back to the integration's.
   */
  userToken?: string;
  /** Compute the commit (its SHA included) without pushing. */
  dryRun?: boolean;
  /** The task's cancellation: stops every network call and any write not yet started. */
  signal?: AbortSignal;
}

/** @public */
export interface CommitFilesResult {
  /** The new commit, or the branch head when nothing changed. */
  commitSha: string;
  commitUrl: string;
  branch: string;
  /** False when every file already had this content: no commit was made. */
  changed: boolean;
  /** Whether the branch was created from the base branch. */
  branchCreated: boolean;
  files: Array<{ path: string; status: GitOpsFileStatus }>;
  /** Push attempts (more than one after concurrent updates). */
  attempts: number;
}

/** A repository's branches as its server lists them, read with the integration's credentials. @public */
export interface GitOpsRemoteInfo {
  /** The SCM integration type that serves the repository (github, gitlab, gitea, gerrit). */
  type: string;
  /** The branch the server's HEAD points at, when it says. */
  defaultBranch?: string;
  /** Every branch (short name) and its head commit. */
  branches: Record<string, string>;
}

/** Where a commit to a branch starts. @public */
export interface GitOpsBranchPlan {
  /** Whether the branch exists; when not, a commit creates it from `base`. */
  branchExists: boolean;
  /** The branch itself when it exists, else the base branch it would be created from. */
  base: string;
  /** Head commit of `base`. */
  baseSha: string;
}

/** Files read below folders, to a depth (`readFiles`' `filesBelow`). @public */
export interface GitOpsFilesBelow {
  /** The plain files found, sorted by path. */
  files: GitOpsFile[];
  /** False when entries were left out (beyond the bounds, or too large). */
  complete: boolean;
}

/** Which files below which folders a read also returns (same fetch): `depth` folders below each. @public */
export interface GitOpsFilesBelowQuery {
  directories: string[];
  depth: number;
}

/** A folder of a branch, as `readFiles` read it. @public */
export interface GitOpsDirectory {
  /** The plain files directly in the folder (none when it does not exist), sorted by path. */
  files: GitOpsFile[];
  /** The branch read: the branch itself when it exists, else the base it would start from. */
  branch: string;
  /** Its head commit. */
  commitSha: string;
  /** The files below other folders, when the read was asked for them (`filesBelow`). */
  below?: GitOpsFilesBelow;
}

/** A review branch as a pull request of it shows it (`reviewBranchReader`). @public */
export interface GitOpsReviewBranch {
  /** The folder on the branch's head. */
  head: GitOpsDirectory;
  /**
   * The folder where the branch left the base (their merge base; `branch` is
   * the base, `commitSha` the merge base); undefined when it was not found
   * within the bounded depth.
   */
  mergeBase?: GitOpsDirectory;
  /** Every path whose entry differs between the merge base and the head (object ids); `complete` false beyond the bound. */
  changes?: { changes: TreeChange[]; complete: boolean };
}
