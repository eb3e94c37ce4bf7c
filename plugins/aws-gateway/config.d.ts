export interface Config {
  /** Configuration of the AWS gateway entity card. */
  awsGateway?: {
    /**
     * Entity ref of the scaffolder template that exposes a TCP endpoint. The
     * card links to it when an entity has no gateway yet.
     * Defaults to `template:default/expose-tcp-endpoint`.
     *
     * @visibility frontend
     */
    exposeTemplateRef?: string;
    /**
     * Set by the local sandbox of `./run start` (packages/sandbox): the card
     * says that its AWS data is emulated and its cluster local.
     *
     * @visibility frontend
     */
    sandbox?: boolean;
  };
}
