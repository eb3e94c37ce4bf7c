import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Before anything else runs, check that the GitOps repository is allowed and readable and that main exists',
    example: yaml.stringify({
      steps: [
        {
          id: 'check',
          action: 'aws-gateway:gitops:check',
          name: 'Check the GitOps repository',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
          },
        },
      ],
    }),
  },
  {
    description:
      'Check a review branch that a later commit step creates from main when it does not exist yet',
    example: yaml.stringify({
      steps: [
        {
          id: 'check',
          action: 'aws-gateway:gitops:check',
          name: 'Check the GitOps repository and branches',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'aws-gateway/default-aws-tcp-gateway',
            baseBranch: 'main',
          },
        },
      ],
    }),
  },
  {
    description:
      "Also check, read-only, that the Gateway's folder (gateways/<namespace>/<name>) can be written: no link, submodule or file on the way",
    example: yaml.stringify({
      steps: [
        {
          id: 'check',
          action: 'aws-gateway:gitops:check',
          name: 'Check the GitOps repository and the Gateway folder',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            gateway: 'default/aws-tcp-gateway',
          },
        },
      ],
    }),
  },
  {
    description:
      "Check that a cluster's controller setup folder (clusters/<cluster>/aws-load-balancer-controller) can be written",
    example: yaml.stringify({
      steps: [
        {
          id: 'check',
          action: 'aws-gateway:gitops:check',
          name: 'Check the GitOps repository and the controller folder',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            controllerCluster: 'demo',
          },
        },
      ],
    }),
  },
];
