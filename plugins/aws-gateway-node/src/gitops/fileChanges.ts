import { createTwoFilesPatch } from 'diff';
import { GitOpsFile } from './types';

/**
 * A unified diff from `before` to `after` (repository files; a path in one
 * only is added or deleted), for a dry run or a task log to show what a
 * commit changes. Empty when nothing changes.
 *
 * @public
 */
export function describeFileChanges(
  before: GitOpsFile[],
  after: GitOpsFile[],
): string {
  const paths = [...new Set([...before, ...after].map(f => f.path))].sort();
  const contentOf = (files: GitOpsFile[], path: string) =>
    files.find(f => f.path === path)?.content;
  return paths
    .map(path => {
      const old = contentOf(before, path);
      const next = contentOf(after, path);
      if (old === next) return '';
      return createTwoFilesPatch(
        old === undefined ? '/dev/null' : `a/${path}`,
        next === undefined ? '/dev/null' : `b/${path}`,
        old ?? '',
        next ?? '',
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, '');
    })
    .filter(Boolean)
    .join('');
}
