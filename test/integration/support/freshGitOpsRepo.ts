import { createBareRepo, uniqueName } from '../../peers';
import { BareRepo, TemplatesPortal, templateValues } from './templatesPortal';

/**
 * A fresh GitOps repository on the git peer, named after `prefix`, and both
 * templates' form values on `cluster` committing to it.
 */
export async function freshGitOpsRepo(
  env: TemplatesPortal,
  cluster: string,
  prefix: string,
): Promise<{
  repo: BareRepo;
  repoUrl: string;
  values: Awaited<ReturnType<typeof templateValues>>;
}> {
  const name = uniqueName(prefix);
  const repoUrl = createBareRepo(name, { 'README.md': '# GitOps\n' });
  const values = await templateValues(env, cluster, repoUrl);
  return { repo: new BareRepo(name), repoUrl, values };
}
