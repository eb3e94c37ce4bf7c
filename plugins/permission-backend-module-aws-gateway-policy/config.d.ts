export interface Config {
  awsGateway?: {
    /**
     * Who may run which action of the AWS gateway suite, enforced on the
     * server by the permission policy of
     * `@gateway-portal/plugin-permission-backend-module-aws-gateway-policy`.
     */
    permissions?: {
      /**
       * Entity refs of the groups whose members are platform engineers, e.g.
       * `group:default/platform`. A user is a member when one of these is among
       * the ownership refs of their Backstage identity.
       *
       * Unset: the policy allows everything (the development profile) and says
       * so at startup. Empty list: nobody may run a privileged action.
       */
      platformTeams?: string[];
      /**
       * Scaffolder action ids only platform engineers may run: exact ids, or
       * patterns with `*` expanded against this suite's action ids
       * (`aws-gateway:…`). Default: `aws-gateway:iam:*`, `aws-gateway:eks:*`,
       * `aws-gateway:controller:*`.
       */
      privilegedActions?: string[];
    };
  };
}
