import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Commit the manifests aws-gateway:endpoint:render wrote to manifests/ to the main branch; they go to gateways/<namespace>/<gateway>',
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
            commitMessage: 'Expose backend on TCP 8080 through aws-tcp-gateway',
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit to a review branch started from main, replacing files that an earlier request left with other content; a targetPath, when given, must be the fixed layout',
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
            targetPath: 'gateways/default/aws-tcp-gateway',
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
            commitMessage: 'Expose backend on TCP 8080 through aws-tcp-gateway',
            pullRequestTitle: 'Expose backend on TCP 8080',
            pullRequestBody: 'Requested from Backstage.',
          },
        },
      ],
    }),
  },
  {
    description:
      "The repository chosen with RepoUrlPicker (host?owner=…&repo=…, allowed by awsGateway.provisioning.gitops.allowedRepoUrls all the same); push and open a draft pull request as the signed-in user (the picker's requestUserCredentials secret), asking two reviewers and adding labels",
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          name: 'Open a draft pull request as the user',
          input: {
            repoUrl: 'git.example.com?owner=platform&repo=gitops',
            token: '${{ secrets.USER_OAUTH_TOKEN }}',
            mode: 'pull-request',
            branch: 'aws-gateway/default-aws-tcp-gateway',
            baseBranch: 'main',
            sourcePath: 'manifests',
            commitMessage: 'Expose backend on TCP 8080 through aws-tcp-gateway',
            pullRequestTitle: 'Expose backend on TCP 8080',
            pullRequestBody: 'Requested from Backstage.',
            reviewers: ['alice', 'bob'],
            labels: ['gitops', 'aws-gateway'],
            draft: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit the controller setup aws-gateway:controller:render wrote (Helm values, GatewayClass, default LoadBalancerConfiguration); it goes to clusters/<cluster>/aws-load-balancer-controller',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          name: 'Commit the controller setup',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            sourcePath: 'controller',
            commitMessage: 'AWS Load Balancer Controller v3.5.0 for prod-eu',
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit a changed endpoint (what aws-gateway:endpoint:render wrote from aws-gateway:endpoint:plan-change): the files in gateways/default/aws-tcp-gateway must be what the portal wrote; they are replaced, and one the new render lacks is deleted',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          name: 'Commit the change',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            sourcePath: 'manifests',
            replace: true,
            commitMessage: 'Move aws-tcp-gateway to port 9090',
          },
        },
      ],
    }),
  },
  {
    description:
      'Remove an endpoint through a pull request: deletes the files of Gateway default/aws-tcp-gateway the portal wrote, on a review branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          name: 'Remove the endpoint',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'aws-gateway/default-aws-tcp-gateway',
            baseBranch: 'main',
            removeGateway: 'default/aws-tcp-gateway',
            commitMessage: 'Remove aws-tcp-gateway',
            mode: 'pull-request',
            pullRequestTitle: 'Remove the endpoint aws-tcp-gateway',
            pullRequestBody:
              'Requested in Backstage by the owner of component:default/backend.',
          },
        },
      ],
    }),
  },
];
