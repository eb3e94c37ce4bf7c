/**
 * Integration: the AWS Load Balancer Controller stand-in
 * (test/fixtures/controller/) against moto and the real kube-apiserver, both
 * CRD profiles: each behaviour of the real controller v3.5.0 written down in
 * the shared notes (lbc-real-controller.md), asserted on the AWS objects
 * (describe calls against moto) and the Kubernetes objects and status.
 */
import * as k8s from '@kubernetes/client-node';
import { CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  Listener,
  LoadBalancer,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { L4Objects, POD_IPS } from '../fixtures/l4Objects';
import {
  FakeController,
  lbcVersionFor,
  FINALIZERS,
  MESSAGES,
  TAGS,
  targetGroupName,
} from '../fixtures/controller';
import {
  awsClientConfig,
  createNetwork,
  kubeConfigFor,
  Network,
  observeAwsCalls,
  PROFILE_V13,
  PROFILE_V16,
  uniqueName,
} from '../peers';

const GW = 'gateway.networking.k8s.io';

interface RecordedCall {
  operation: string;
  input: any;
}

describe.each([
  [PROFILE_V16, 'v1' as const],
  [PROFILE_V13, 'v1alpha2' as const],
])('the controller stand-in (%s)', (profile, routeVersion) => {
  const clusterName = uniqueName(`standin-${routeVersion}`);
  const lbcVersion = lbcVersionFor(routeVersion);
  let kc: k8s.KubeConfig;
  let objects: k8s.KubernetesObjectApi;
  let custom: k8s.CustomObjectsApi;
  let elbv2: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  let network: Network;
  let securityGroupId: string;
  let controller: FakeController;
  let namespace: string;
  let gatewayClassName: string;
  let o: L4Objects;
  const calls: RecordedCall[] = [];

  beforeAll(async () => {
    kc = kubeConfigFor(profile);
    objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
    elbv2 = new ElasticLoadBalancingV2Client(awsClientConfig());
    ec2 = new EC2Client(awsClientConfig());
    // What the stand-in sends, to compare with the real controller's request shapes.
    observeAwsCalls(elbv2, 'recordStandInCalls', (operation, input) => {
      calls.push({ operation, input });
    });
    network = await createNetwork(clusterName);
    securityGroupId = (
      await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: clusterName,
          Description: 'stand-in NLB',
          VpcId: network.vpcId,
        }),
      )
    ).GroupId!;
    controller = new FakeController({
      kc,
      elbv2,
      ec2,
      network,
      clusterName,
      routeVersion,
    });
    namespace = uniqueName('standin');
    gatewayClassName = uniqueName('standin-nlb');
    o = new L4Objects({ namespace, routeVersion, gatewayClassName });
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .createNamespace({ body: { metadata: { name: namespace } } });
    // The class's LoadBalancerConfiguration, with an explicit security group as in the notes' setup.
    await apply(
      o.loadBalancerConfiguration('class-defaults', {
        scheme: 'internet-facing',
        securityGroups: [securityGroupId],
        sourceRanges: ['203.0.113.0/24'],
      }),
      {
        apiVersion: `${GW}/v1`,
        kind: 'GatewayClass',
        metadata: { name: gatewayClassName },
        spec: {
          controllerName: 'gateway.k8s.aws/nlb',
          parametersRef: {
            group: 'gateway.k8s.aws',
            kind: 'LoadBalancerConfiguration',
            name: 'class-defaults',
            namespace,
          },
        },
      } as k8s.KubernetesObject,
    );
  });

  afterAll(() => {
    elbv2?.destroy();
    ec2?.destroy();
  });

  // --- Kubernetes objects ---------------------------------------------------

  async function apply(...list: k8s.KubernetesObject[]): Promise<void> {
    for (const object of list) await objects.create(object);
  }

  async function read(
    group: string,
    version: string,
    plural: string,
    name: string,
  ): Promise<any> {
    return custom.getNamespacedCustomObject({
      group,
      version,
      plural,
      namespace,
      name,
    });
  }

  const readGateway = (name: string) => read(GW, 'v1', 'gateways', name);
  const readLbConfig = (name: string) =>
    read('gateway.k8s.aws', lbcVersion, 'loadbalancerconfigurations', name);
  const readTgConfig = (name: string) =>
    read('gateway.k8s.aws', lbcVersion, 'targetgroupconfigurations', name);
  const readRoute = (plural: string, name: string) =>
    read(GW, routeVersion, plural, name);

  function condition(object: any, type: string): any {
    return object.status?.conditions?.find((c: any) => c.type === type);
  }

  function listenerStatus(gw: any, name: string): any {
    return gw.status.listeners.find((l: any) => l.name === name);
  }

  async function bindingsOf(gwName: string): Promise<any[]> {
    const list: any = await custom.listNamespacedCustomObject({
      group: 'elbv2.k8s.aws',
      version: 'v1beta1',
      namespace,
      plural: 'targetgroupbindings',
      labelSelector: `gateway.k8s.aws.nlb/stack-name=${gwName}`,
    });
    return list.items;
  }

  // --- AWS objects, found by the controller's tags ---------------------------

  async function tagsOf(
    arns: string[],
  ): Promise<Map<string, Record<string, string>>> {
    const tags = new Map<string, Record<string, string>>();
    for (let i = 0; i < arns.length; i += 20) {
      const out = await elbv2.send(
        new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }),
      );
      for (const d of out.TagDescriptions ?? []) {
        tags.set(
          d.ResourceArn!,
          Object.fromEntries((d.Tags ?? []).map(t => [t.Key!, t.Value!])),
        );
      }
    }
    return tags;
  }

  /** Everything in moto tagged for this cluster (and, given a Gateway, its stack). */
  async function tagged(
    gwName?: string,
  ): Promise<{ loadBalancers: LoadBalancer[]; targetGroups: TargetGroup[] }> {
    // moto pages its answers; other tests' objects share it.
    const loadBalancers: LoadBalancer[] = [];
    for await (const page of paginateDescribeLoadBalancers(
      { client: elbv2 },
      {},
    )) {
      loadBalancers.push(...(page.LoadBalancers ?? []));
    }
    const targetGroups: TargetGroup[] = [];
    for await (const page of paginateDescribeTargetGroups(
      { client: elbv2 },
      {},
    )) {
      targetGroups.push(...(page.TargetGroups ?? []));
    }
    const tags = await tagsOf([
      ...loadBalancers.map(lb => lb.LoadBalancerArn!),
      ...targetGroups.map(tg => tg.TargetGroupArn!),
    ]);
    const ours = (arn: string) =>
      tags.get(arn)?.[TAGS.cluster] === clusterName &&
      (gwName === undefined ||
        tags.get(arn)?.[TAGS.stack] === `${namespace}/${gwName}`);
    return {
      loadBalancers: loadBalancers.filter(lb => ours(lb.LoadBalancerArn!)),
      targetGroups: targetGroups.filter(tg => ours(tg.TargetGroupArn!)),
    };
  }

  async function listenersOf(lbArn: string): Promise<Listener[]> {
    return (
      (
        await elbv2.send(
          new DescribeListenersCommand({ LoadBalancerArn: lbArn }),
        )
      ).Listeners ?? []
    );
  }

  async function targetsOf(tgArn: string): Promise<string[]> {
    const out = await elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }),
    );
    return (out.TargetHealthDescriptions ?? [])
      .map(d => `${d.Target!.Id}:${d.Target!.Port}`)
      .sort();
  }

  function weightsOf(listener: Listener): Array<[string, number]> {
    return (listener.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [])
      .map(t => [t.TargetGroupArn!, t.Weight!] as [string, number])
      .sort((a, b) => b[1] - a[1]);
  }

  function callsOf(operation: string, since: number): any[] {
    return calls
      .slice(since)
      .filter(c => c.operation === operation)
      .map(c => c.input);
  }

  // --- the classic example, the way the real controller handles it -----------

  it('accepts its GatewayClass, goes provisioning → active, sends the real request shapes and sets the finalizers', async () => {
    const name = 'classic';
    await apply(
      o.gateway(name, [{ name: 'tcp-8080', port: 8080, protocol: 'TCP' }]),
      o.route('TCPRoute', name, { gateway: name, sectionName: 'tcp-8080' }, [
        { name: 'backend', port: 8080 },
      ]),
      ...o.workload('backend', 8080, 3000),
      o.targetGroupConfiguration('backend', { targetType: 'ip' }),
    );
    const programmed: string[] = [];
    const watch = await new k8s.Watch(kc).watch(
      `/apis/${GW}/v1/namespaces/${namespace}/gateways`,
      { fieldSelector: `metadata.name=${name}` },
      (_phase, gw: any) => {
        const c = condition(gw, 'Programmed');
        const seen = c && `${c.status}/${c.reason}/${c.message}`;
        if (seen && programmed[programmed.length - 1] !== seen)
          programmed.push(seen);
      },
      () => undefined,
    );
    const since = calls.length;
    let result;
    try {
      result = await controller.reconcile(namespace, name);
      await new Promise(resolve => setTimeout(resolve, 300)); // the last watch event
    } finally {
      watch.abort();
    }

    // moto answers `provisioning` on create and `active` on the next describe.
    expect(programmed.slice(-2)).toEqual([
      `Unknown/Pending/${MESSAGES.programmedPending}`,
      `True/Programmed/${result.loadBalancerArn}`,
    ]);

    const createLb = callsOf('CreateLoadBalancer', since);
    expect(createLb).toHaveLength(1);
    expect(createLb[0]).toMatchObject({
      Type: 'network',
      Scheme: 'internet-facing',
      IpAddressType: 'ipv4',
      SubnetMappings: network.subnetIds.map(SubnetId => ({ SubnetId })),
      SecurityGroups: [securityGroupId],
    });
    expect(createLb[0].Subnets).toBeUndefined();
    const createTg = callsOf('CreateTargetGroup', since);
    expect(createTg).toEqual([
      expect.objectContaining({
        HealthCheckEnabled: true,
        Protocol: 'TCP',
        Port: 3000,
        TargetType: 'ip',
      }),
    ]);
    expect(createTg[0]).not.toHaveProperty('IpAddressType');
    // 192.0.2.x is outside the VPC's 10.42.0.0/16: registered for all zones.
    expect(callsOf('RegisterTargets', since)).toEqual([
      expect.objectContaining({
        Targets: POD_IPS.map(Id => ({
          Id,
          Port: 3000,
          AvailabilityZone: 'all',
        })),
      }),
    ]);
    expect(
      callsOf('CreateListener', since)[0].DefaultActions[0],
    ).not.toHaveProperty('ForwardConfig.TargetGroupStickinessConfig');

    const { loadBalancers, targetGroups } = await tagged(name);
    expect(loadBalancers).toEqual([
      expect.objectContaining({
        LoadBalancerArn: result.loadBalancerArn,
        Scheme: 'internet-facing',
        SecurityGroups: [securityGroupId],
      }),
    ]);
    expect(loadBalancers[0].AvailabilityZones).toHaveLength(2);
    expect(targetGroups).toEqual([
      expect.objectContaining({
        TargetGroupName: targetGroupName({
          clusterName,
          gateway: { namespace, name },
          route: { namespace, name, kind: 'TCPRoute' },
          service: { namespace, name: 'backend' },
          port: 3000,
          targetType: 'ip',
          protocol: 'TCP',
        }),
        HealthCheckEnabled: true,
        HealthCheckProtocol: 'TCP',
        HealthCheckIntervalSeconds: 15,
      }),
    ]);

    // GatewayClass accepted as the controller does it.
    const gc: any = await custom.getClusterCustomObject({
      group: GW,
      version: 'v1',
      plural: 'gatewayclasses',
      name: gatewayClassName,
    });
    expect(condition(gc, 'Accepted')).toMatchObject({
      status: 'True',
      reason: 'Accepted',
      message: 'Accepted',
    });
    expect(gc.metadata.finalizers).toContain(FINALIZERS.gatewayClass);
    const classConfig = await readLbConfig('class-defaults');
    expect(gc.metadata.annotations).toMatchObject({
      'elbv2.k8s.aws/last-processed-config':
        classConfig.metadata.resourceVersion,
      'elbv2.k8s.aws/last-processed-config-timestamp':
        expect.stringMatching(/^\d+$/),
    });

    // Finalizers on the Gateway and on the configurations it uses.
    const gw = await readGateway(name);
    expect(gw.metadata.finalizers).toEqual([FINALIZERS.gateway]);
    expect(classConfig.metadata.finalizers).toEqual([
      FINALIZERS.loadBalancerConfiguration,
    ]);
    const tgc = await readTgConfig('backend');
    expect(tgc.metadata.finalizers).toEqual([
      FINALIZERS.targetGroupConfiguration,
    ]);

    // TargetGroupBinding with the binding controller's finalizer and observedGeneration.
    const [binding] = await bindingsOf(name);
    expect(binding.metadata.finalizers).toEqual([
      FINALIZERS.targetGroupBinding,
    ]);
    expect(binding.status.observedGeneration).toBe(binding.metadata.generation);
    expect(binding.spec).toMatchObject({
      targetType: 'ip',
      targetGroupProtocol: 'TCP',
      serviceRef: { name: 'backend', port: 8080 },
    });

    const events = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.name=${name}`,
    });
    expect(events.items.map(e => [e.type, e.reason, e.message])).toEqual([
      ['Normal', 'SuccessfullyReconciled', 'Successfully reconciled'],
    ]);
  });

  it('merges TCP and UDP on one port into one TCP_UDP listener for the oldest route; the other stays Accepted without a target group', async () => {
    const name = 'dns';
    await o.applyTcpAndUdpOnOnePort(name, apply);

    const result = await controller.reconcile(namespace, name);

    const [listener, ...others] = await listenersOf(result.loadBalancerArn);
    expect(others).toEqual([]);
    expect(listener).toMatchObject({ Port: 53, Protocol: 'TCP_UDP' });
    const { targetGroups } = await tagged(name);
    expect(targetGroups).toHaveLength(1);
    expect(targetGroups[0]).toMatchObject({ Protocol: 'TCP_UDP', Port: 5353 });
    expect(weightsOf(listener)).toEqual([[targetGroups[0].TargetGroupArn, 1]]);
    const tags = await tagsOf([targetGroups[0].TargetGroupArn!]);
    expect(tags.get(targetGroups[0].TargetGroupArn!)?.[TAGS.resource]).toBe(
      `${namespace}/${name}:${namespace}-dns-tcp:TCPRoute-${namespace}-dns-tcp:5353`,
    );
    expect(await targetsOf(targetGroups[0].TargetGroupArn!)).toEqual(
      POD_IPS.map(ip => `${ip}:5353`),
    );
    expect((await bindingsOf(name)).map(b => b.spec.serviceRef.name)).toEqual([
      'dns-tcp',
    ]);

    const gw = await readGateway(name);
    expect(listenerStatus(gw, 'tcp-53').attachedRoutes).toBe(1);
    expect(listenerStatus(gw, 'udp-53').attachedRoutes).toBe(1);
    const udp = await readRoute('udproutes', 'dns-udp');
    expect(udp.status.parents).toEqual([
      expect.objectContaining({
        controllerName: 'gateway.k8s.aws/nlb',
        parentRef: expect.objectContaining({ name, sectionName: 'udp-53' }),
        conditions: [
          expect.objectContaining({ type: 'ResolvedRefs', status: 'True' }),
          expect.objectContaining({ type: 'Accepted', status: 'True' }),
        ],
      }),
    ]);
  });

  it('turns a TLS passthrough listener into a TCP listener before a TLS target group, and TCP with protocol: TCP', async () => {
    const name = 'tls';
    await apply(...o.tlsPassthrough(name, 'tls-app'));

    const first = await controller.reconcile(namespace, name);
    const [listener] = await listenersOf(first.loadBalancerArn);
    expect(listener).toMatchObject({ Port: 443, Protocol: 'TCP' });
    const tlsGroups = (await tagged(name)).targetGroups;
    // moto accepts this pair; real AWS refuses it (IncompatibleProtocols).
    expect(tlsGroups).toEqual([
      expect.objectContaining({ Protocol: 'TLS', Port: 8443 }),
    ]);

    const tgc = await readTgConfig('tls-app');
    tgc.spec.defaultConfiguration.protocol = 'TCP';
    await custom.replaceNamespacedCustomObject({
      group: 'gateway.k8s.aws',
      version: lbcVersion,
      namespace,
      plural: 'targetgroupconfigurations',
      name: 'tls-app',
      body: tgc,
    });
    const second = await controller.reconcile(namespace, name);

    const tcpGroups = (await tagged(name)).targetGroups;
    expect(tcpGroups).toEqual([
      expect.objectContaining({ Protocol: 'TCP', Port: 8443 }),
    ]);
    // The protocol is part of the name's hash: a new target group replaced the TLS one.
    expect(tcpGroups[0].TargetGroupName).not.toBe(tlsGroups[0].TargetGroupName);
    const [after] = await listenersOf(second.loadBalancerArn);
    expect(after).toMatchObject({
      ListenerArn: listener.ListenerArn,
      Protocol: 'TCP',
    });
    expect(weightsOf(after)).toEqual([[tcpGroups[0].TargetGroupArn, 1]]);
    const [binding] = await bindingsOf(name);
    expect(binding.spec).toMatchObject({
      targetGroupProtocol: 'TCP',
      targetGroupARN: tcpGroups[0].TargetGroupArn,
    });
  });

  it('gives each weighted backend its own target group and puts the weights in one forward action (weight 0: none)', async () => {
    const name = 'canary';
    await apply(
      o.gateway(name, [{ name: 'tcp-7000', port: 7000, protocol: 'TCP' }]),
      ...o.workload('stable', 7000, 7000),
      ...o.workload('preview', 7000, 7000, 'TCP', ['192.0.2.61']),
      ...o.workload('dark', 7000, 7000, 'TCP', ['192.0.2.62']),
      o.targetGroupConfiguration('stable', { targetType: 'ip' }),
      o.targetGroupConfiguration('preview', { targetType: 'ip' }),
      o.targetGroupConfiguration('dark', { targetType: 'ip' }),
      o.route('TCPRoute', name, { gateway: name, sectionName: 'tcp-7000' }, [
        { name: 'stable', port: 7000, weight: 80 },
        { name: 'preview', port: 7000, weight: 20 },
        { name: 'dark', port: 7000, weight: 0 },
      ]),
    );

    const result = await controller.reconcile(namespace, name);

    const { targetGroups } = await tagged(name);
    expect(targetGroups).toHaveLength(2);
    const bindings = await bindingsOf(name);
    expect(bindings.map(b => b.spec.serviceRef.name).sort()).toEqual([
      'preview',
      'stable',
    ]);
    const arnOf = (service: string): string =>
      bindings.find(b => b.spec.serviceRef.name === service)!.spec
        .targetGroupARN;
    expect(targetGroups.map(tg => tg.TargetGroupArn).sort()).toEqual(
      [arnOf('preview'), arnOf('stable')].sort(),
    );
    const [listener] = await listenersOf(result.loadBalancerArn);
    expect(weightsOf(listener)).toEqual([
      [arnOf('stable'), 80],
      [arnOf('preview'), 20],
    ]);
  });

  it('removes the listener, targets, target group and binding when the route goes, keeps the NLB, and brings the same names back', async () => {
    const name = 'removal';
    const tcpRoute = o.route(
      'TCPRoute',
      name,
      { gateway: name, sectionName: 'tcp-9000' },
      [{ name: 'removal-app', port: 9000 }],
    );
    await apply(
      o.gateway(name, [{ name: 'tcp-9000', port: 9000, protocol: 'TCP' }]),
      tcpRoute,
      ...o.workload('removal-app', 9000, 9000),
      o.targetGroupConfiguration('removal-app', { targetType: 'ip' }),
    );
    const before = await controller.reconcile(namespace, name);
    const [groupBefore] = (await tagged(name)).targetGroups;
    const since = calls.length;

    await objects.delete(tcpRoute);
    const after = await controller.reconcile(namespace, name);

    expect(after.loadBalancerArn).toBe(before.loadBalancerArn);
    expect(await listenersOf(before.loadBalancerArn)).toEqual([]);
    const { loadBalancers, targetGroups } = await tagged(name);
    expect(loadBalancers.map(lb => lb.LoadBalancerArn)).toEqual([
      before.loadBalancerArn,
    ]);
    expect(targetGroups).toEqual([]);
    expect(await bindingsOf(name)).toEqual([]);
    expect(callsOf('DeregisterTargets', since)).toEqual([
      expect.objectContaining({ TargetGroupArn: groupBefore.TargetGroupArn }),
    ]);
    const gw = await readGateway(name);
    expect(condition(gw, 'Programmed')).toMatchObject({
      status: 'True',
      message: before.loadBalancerArn,
    });
    expect(listenerStatus(gw, 'tcp-9000').attachedRoutes).toBe(0);

    await apply(tcpRoute);
    await controller.reconcile(namespace, name);
    expect(
      (await tagged(name)).targetGroups.map(tg => tg.TargetGroupName),
    ).toEqual([groupBefore.TargetGroupName]);
  });

  it('instance targets on a ClusterIP Service: Accepted=False/Invalid, repeated FailedBuildModel events, an NLB without listeners', async () => {
    const name = 'instance';
    // The Gateway first (GitOps applies files in order): its NLB is created, still provisioning.
    await apply(
      o.gateway(name, [{ name: 'tcp-6000', port: 6000, protocol: 'TCP' }]),
    );
    const first = await controller.reconcileOnce(namespace, name);
    expect(first?.requeue).toBe(true);
    // Then the route to a ClusterIP Service, and no TargetGroupConfiguration: instance targets.
    await apply(
      o.route('TCPRoute', name, { gateway: name, sectionName: 'tcp-6000' }, [
        { name: 'instance-app', port: 6000 },
      ]),
      ...o.workload('instance-app', 6000, 6000),
    );

    const failed = await controller.reconcile(namespace, name);
    await controller.reconcile(namespace, name); // the controller requeues: the same failure again

    expect(failed.buildError).toBe(MESSAGES.instanceTargetPortEmpty);
    const gw = await readGateway(name);
    expect(condition(gw, 'Accepted')).toMatchObject({
      status: 'False',
      reason: 'Invalid',
      message: 'Check Gateway Events for more information.',
    });
    expect(condition(gw, 'Programmed')).toMatchObject({
      status: 'Unknown',
      reason: 'Pending',
    });
    const events = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.name=${name},reason=FailedBuildModel`,
    });
    expect(events.items).toEqual([
      expect.objectContaining({
        type: 'Warning',
        count: 2,
        message:
          "Failed build model due to TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'",
      }),
    ]);
    const { loadBalancers, targetGroups } = await tagged(name);
    expect(loadBalancers).toHaveLength(1);
    expect(await listenersOf(loadBalancers[0].LoadBalancerArn!)).toEqual([]);
    expect(targetGroups).toEqual([]);
    const tcp = await readRoute('tcproutes', name);
    expect(tcp.status.parents[0].conditions).toEqual([
      expect.objectContaining({ type: 'ResolvedRefs', status: 'True' }),
      expect.objectContaining({ type: 'Accepted', status: 'True' }),
    ]);
  });

  it("deletes the NLB and target groups when the Gateway is deleted, removes its finalizer, keeps the configurations' finalizers", async () => {
    const name = 'deleted';
    const gw = o.gateway(
      name,
      [
        { name: 'tcp-8000', port: 8000, protocol: 'TCP' },
        { name: 'tcp-8001', port: 8001, protocol: 'TCP' },
      ],
      'deleted-lb',
    );
    await apply(
      o.loadBalancerConfiguration('deleted-lb', { scheme: 'internal' }),
      gw,
      o.route('TCPRoute', name, { gateway: name, sectionName: 'tcp-8000' }, [
        { name: 'deleted-app', port: 8000 },
      ]),
      ...o.workload('deleted-app', 8000, 8000),
      o.targetGroupConfiguration('deleted-app', { targetType: 'ip' }),
    );
    const programmed = await controller.reconcile(namespace, name);
    expect((await tagged(name)).loadBalancers).toEqual([
      expect.objectContaining({ Scheme: 'internal' }),
    ]);
    expect(programmed.targetGroupArns).toHaveLength(1);

    await objects.delete(gw);
    // The finalizer holds the Gateway until the controller has cleaned up.
    expect((await readGateway(name)).metadata.deletionTimestamp).toBeDefined();
    const result = await controller.reconcile(namespace, name);

    expect(result.deleted).toBe(true);
    await expect(readGateway(name)).rejects.toMatchObject({ code: 404 });
    expect(await tagged(name)).toEqual({ loadBalancers: [], targetGroups: [] });
    expect(await bindingsOf(name)).toEqual([]);
    const lbc = await readLbConfig('deleted-lb');
    expect(lbc.metadata.finalizers).toEqual([
      FINALIZERS.loadBalancerConfiguration,
    ]);
    const tgc = await readTgConfig('deleted-app');
    expect(tgc.metadata.finalizers).toEqual([
      FINALIZERS.targetGroupConfiguration,
    ]);
  });

  it('leaves no AWS object behind once every Gateway it programmed is deleted', async () => {
    const list: any = await custom.listNamespacedCustomObject({
      group: GW,
      version: 'v1',
      namespace,
      plural: 'gateways',
    });
    for (const gw of list.items) {
      await objects.delete({
        apiVersion: `${GW}/v1`,
        kind: 'Gateway',
        metadata: { name: gw.metadata.name, namespace },
      });
      await controller.reconcile(namespace, gw.metadata.name);
    }
    expect((await tagged()).loadBalancers).toEqual([]);
    expect((await tagged()).targetGroups).toEqual([]);
  });
});

describe('the controller stand-in as a long-running controller', () => {
  it('reconciles what changes while it runs, stays idle with no AWS call, and stops', async () => {
    const kc = kubeConfigFor(PROFILE_V16);
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const clusterName = uniqueName('standin-loop');
    const elbv2 = new ElasticLoadBalancingV2Client(awsClientConfig());
    let awsCalls = 0;
    observeAwsCalls(elbv2, 'countStandInCalls', () => {
      awsCalls++;
    });
    const namespace = uniqueName('standin-loop');
    const className = uniqueName('standin-loop');
    const controller = new FakeController({
      kc,
      elbv2,
      network: await createNetwork(clusterName),
      clusterName,
      routeVersion: 'v1',
      gatewayClasses: [className],
      log: message => {
        throw new Error(message);
      },
    });
    const gatewayOf = () =>
      custom.getNamespacedCustomObject({
        group: GW,
        version: 'v1',
        namespace,
        plural: 'gateways',
        name: 'loop',
      }) as Promise<any>;
    async function until(
      what: string,
      check: (gw: any) => boolean,
    ): Promise<any> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const gw = await gatewayOf();
        if (check(gw)) return gw;
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what}: ${JSON.stringify(gw.status)}`,
          );
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }
    const tcpRoute = {
      apiVersion: `${GW}/v1`,
      kind: 'TCPRoute',
      metadata: { name: 'loop', namespace },
      spec: {
        parentRefs: [{ name: 'loop', sectionName: 'tcp-8080' }],
        rules: [{ backendRefs: [{ name: 'loop', port: 8080 }] }],
      },
    };
    try {
      await kc
        .makeApiClient(k8s.CoreV1Api)
        .createNamespace({ body: { metadata: { name: namespace } } });
      controller.start({ pollIntervalMs: 200 });
      for (const o of [
        {
          apiVersion: `${GW}/v1`,
          kind: 'GatewayClass',
          metadata: { name: className },
          spec: { controllerName: 'gateway.k8s.aws/nlb' },
        },
        {
          apiVersion: `${GW}/v1`,
          kind: 'Gateway',
          metadata: { name: 'loop', namespace },
          spec: {
            gatewayClassName: className,
            listeners: [{ name: 'tcp-8080', port: 8080, protocol: 'TCP' }],
          },
        },
        tcpRoute,
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'loop', namespace },
          spec: { ports: [{ port: 8080 }] },
        },
        {
          apiVersion: 'gateway.k8s.aws/v1',
          kind: 'TargetGroupConfiguration',
          metadata: { name: 'loop', namespace },
          spec: {
            targetReference: { kind: 'Service', name: 'loop' },
            defaultConfiguration: { targetType: 'ip' },
          },
        },
      ]) {
        await objects.create(o as k8s.KubernetesObject);
      }

      const programmed = await until(
        'Programmed=True with a route attached',
        gw =>
          gw.status?.conditions?.some(
            (c: any) => c.type === 'Programmed' && c.status === 'True',
          ) && gw.status?.listeners?.[0]?.attachedRoutes === 1,
      );
      const lbArn = programmed.status.conditions.find(
        (c: any) => c.type === 'Programmed',
      ).message;
      expect(
        (
          await elbv2.send(
            new DescribeListenersCommand({ LoadBalancerArn: lbArn }),
          )
        ).Listeners,
      ).toHaveLength(1);

      // Idle: nothing changed, so no AWS call over several polls.
      await new Promise(resolve => setTimeout(resolve, 500));
      const idleFrom = awsCalls;
      await new Promise(resolve => setTimeout(resolve, 1_000));
      expect(awsCalls).toBe(idleFrom);

      await objects.delete(tcpRoute as k8s.KubernetesObject);
      await until(
        'attachedRoutes 0',
        gw => gw.status.listeners[0].attachedRoutes === 0,
      );
      expect(
        (
          await elbv2.send(
            new DescribeListenersCommand({ LoadBalancerArn: lbArn }),
          )
        ).Listeners,
      ).toEqual([]);

      await controller.stop();
      const stoppedAt = awsCalls;
      await objects.create(tcpRoute as k8s.KubernetesObject);
      await new Promise(resolve => setTimeout(resolve, 600));
      expect(awsCalls).toBe(stoppedAt);
    } finally {
      await controller.stop();
      elbv2.destroy();
    }
  });
});
