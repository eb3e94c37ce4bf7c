import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Commit the rendered gateway manifests to the main branch of the GitOps repository, under the cluster and namespace folder',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          name: 'Commit to GitOps',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            sourcePath: 'manifests',
            targetPath: 'clusters/prod/default/aws-tcp-gateway',
            commitMessage: 'Expose backend on TCP 8080 through aws-tcp-gateway',
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit to a review branch started from main, replacing files that an earlier request left with other content',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          name: 'Commit to a review branch',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'backstage/aws-tcp-gateway',
            baseBranch: 'main',
            sourcePath: 'manifests',
            targetPath: 'clusters/prod/default/aws-tcp-gateway',
            commitMessage: 'Update aws-tcp-gateway source CIDRs',
            overwrite: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit to a review branch and open a pull request into main (gitea, github or gitlab host); a re-run with the same content reuses the open pull request',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          name: 'Open a pull request',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            mode: 'pull-request',
            branch: 'aws-gateway/default-aws-tcp-gateway',
            baseBranch: 'main',
            sourcePath: 'manifests',
            targetPath: 'clusters/prod/default/aws-tcp-gateway',
            commitMessage: 'Expose backend on TCP 8080 through aws-tcp-gateway',
            pullRequestTitle: 'Expose backend on TCP 8080',
            pullRequestBody: 'Requested from Backstage.',
          },
        },
      ],
    }),
  },
];
