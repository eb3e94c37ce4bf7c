import { ConfigReader } from '@backstage/config';
import { readGitOpsSettings } from '../../gitops/gitopsSettings';

/** GitOps settings of the action tests: a gitea host whose platform/* repositories are allowed. */
export const gitopsTestSettings = readGitOpsSettings(
  new ConfigReader({
    integrations: {
      gitea: [
        {
          host: 'git.example.com',
          baseUrl: 'https://git.example.com',
          username: 'portal',
          password: 'portal-secret',
        },
      ],
    },
    awsGateway: {
      provisioning: {
        gitops: { allowedRepoUrls: ['https://git.example.com/platform/*'] },
      },
    },
  }),
);
