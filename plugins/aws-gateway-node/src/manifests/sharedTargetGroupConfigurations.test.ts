import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import {
  manifestToYaml,
  renderTargetGroupConfiguration,
} from './renderEndpoint';
import {
  committedTargetGroupConfigurations,
  COMMITTED_TARGET_GROUP_CONFIGURATION_FILES,
  targetGroupConfigurationConflicts,
} from './sharedTargetGroupConfigurations';

const PROFILE = CONTROLLER_PROFILES['lbc-v3.5'];

/** A TargetGroupConfiguration for Service team-a/<service>, as the renderer writes one. */
function tgc(
  name: string,
  service: string,
  props: {
    behindPassthrough?: boolean;
    annotations?: Record<string, string>;
  } = {},
) {
  return renderTargetGroupConfiguration(
    PROFILE,
    {
      name,
      namespace: 'team-a',
      labels: { 'app.kubernetes.io/managed-by': 'backstage-aws-gateway' },
      ...(props.annotations ? { annotations: props.annotations } : {}),
    },
    {
      service,
      targetType: 'ip',
      behindPassthrough: props.behindPassthrough ?? false,
    },
  );
}

/** Ours: the shared TLS listener's, marked with its port. */
const OURS = tgc('db', 'postgres', {
  behindPassthrough: true,
  annotations: { 'aws-gateway.io/listener-port': '20001' },
});

const onMain = (path: string, content: string) =>
  committedTargetGroupConfigurations(
    [{ path, content }],
    f => `committed in ${f.path} on main`,
  );

describe('committedTargetGroupConfigurations', () => {
  it('finds them in every YAML document of the files below the layout, saying where', () => {
    expect(COMMITTED_TARGET_GROUP_CONFIGURATION_FILES).toEqual({
      directories: ['gateways', 'shared-gateway-routes'],
      depth: 2,
    });
    const found = onMain(
      'gateways/team-a/pg/all.yaml',
      `kind: ConfigMap\napiVersion: v1\n---\n${manifestToYaml(
        tgc('pg', 'postgres'),
      )}`,
    );
    expect(found).toEqual([
      {
        item: expect.objectContaining({
          kind: 'TargetGroupConfiguration',
          spec: expect.objectContaining({
            targetReference: expect.objectContaining({ name: 'postgres' }),
          }),
        }),
        where: 'committed in gateways/team-a/pg/all.yaml on main',
      },
    ]);
  });

  it('takes nothing from hostile files: aliases, broken YAML, other groups, other extensions', () => {
    const aliased = `apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: &m\n  name: x\n  namespace: team-a\nspec:\n  targetReference: {name: postgres}\nother: *m\n`;
    expect(onMain('gateways/team-a/x/a.yaml', aliased)).toEqual([]);
    expect(onMain('gateways/team-a/x/b.yaml', 'kind: [')).toEqual([]);
    expect(
      onMain(
        'gateways/team-a/x/c.yaml',
        manifestToYaml({
          ...tgc('c', 'postgres'),
          apiVersion: 'example.com/v1',
        }),
      ),
    ).toEqual([]);
    expect(
      onMain('gateways/team-a/x/d.txt', manifestToYaml(tgc('d', 'postgres'))),
    ).toEqual([]);
  });
});

describe('targetGroupConfigurationConflicts with committed and proposed ones', () => {
  it('refuses one for the Service committed on the base branch or proposed in a pull request, naming where', () => {
    const problems = targetGroupConfigurationConflicts(OURS, [
      ...onMain(
        'shared-gateway-routes/team-b/pg/targetgroupconfiguration-team-b-pg.yaml',
        manifestToYaml(tgc('team-b-pg', 'postgres')),
      ),
      {
        item: tgc('other', 'postgres'),
        where:
          'proposed in shared-gateway-routes/team-a/other/targetgroupconfiguration-other.yaml by pull request https://git.example.com/platform/gitops/pulls/7',
      },
    ]);
    expect(problems.map(p => [p.field, p.rule])).toEqual([
      ['serviceName', 'shared-target-group-configuration-taken'],
      ['serviceName', 'shared-target-group-configuration-taken'],
    ]);
    expect(problems[0].message).toContain(
      'Service team-a/postgres already has TargetGroupConfiguration team-b-pg (committed in shared-gateway-routes/team-b/pg/targetgroupconfiguration-team-b-pg.yaml on main)',
    );
    expect(problems[1].message).toContain(
      'by pull request https://git.example.com/platform/gitops/pulls/7)',
    );
  });

  it('lets ours be (an earlier run, committed), and those of other namespaces or Services', () => {
    expect(
      targetGroupConfigurationConflicts(OURS, [
        ...onMain(
          'shared-gateway-routes/team-a/db/targetgroupconfiguration-db.yaml',
          manifestToYaml(OURS),
        ),
        ...onMain(
          'gateways/team-b/pg/targetgroupconfiguration-postgres.yaml',
          manifestToYaml({
            ...tgc('postgres', 'postgres'),
            metadata: { name: 'postgres', namespace: 'team-b' },
          }),
        ),
        ...onMain(
          'gateways/team-a/cache/targetgroupconfiguration-redis.yaml',
          manifestToYaml(tgc('redis', 'redis')),
        ),
      ]),
    ).toEqual([]);
  });

  it('does not reuse one that already says protocol TCP with ip targets, and says why', () => {
    const [problem] = targetGroupConfigurationConflicts(
      OURS,
      [
        {
          item: tgc('postgres', 'postgres', { behindPassthrough: true }),
          where: 'live on the cluster',
        },
      ],
      'targetService',
    );
    expect(problem.field).toBe('targetService');
    expect(problem.rule).toBe('shared-target-group-configuration-taken');
    expect(problem.message).toMatch(
      /it says protocol TCP with ip targets, as this listener needs, but it is not reused: it belongs to the endpoint that wrote it, whose change or removal would silently leave this passthrough listener TLS target groups/,
    );
  });
});
