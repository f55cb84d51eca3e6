import { HardenedEksCluster, EKS_CONTROL_PLANE_LOG_TYPES } from '../../constructs/aws/eks-cluster';
import { addressOf, awsInput, only, productionInput, resources, synthCluster, testStack } from './fixture';

describe('EKS control plane', () => {
  const { json } = synthCluster();
  const cluster = only(json, 'aws_eks_cluster');

  test('Kubernetes Secrets are envelope-encrypted with the customer KMS key of the stack', () => {
    // THEN
    const secretsKey = addressOf(json, 'aws_kms_key', (k) => /EKS Secrets/.test(k.description));
    expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: `\${${secretsKey}.arn}` } });
  });

  test('every KMS key rotates automatically and keeps a 30-day deletion window', () => {
    const keys = resources(json, 'aws_kms_key');
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test('all control-plane log types go to a KMS-encrypted log group created before the cluster', () => {
    expect([...cluster.enabled_cluster_log_types].sort()).toEqual([...EKS_CONTROL_PLANE_LOG_TYPES].sort());
    const logGroup = resources(json, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/eks/kong-test/cluster');
    expect(logGroup).toMatchObject({ retention_in_days: 365 });
    expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(cluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]));
  });

  test('the API endpoint is private plus public only for the configured CIDRs', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['198.51.100.0/24'] });
  });

  test('without public CIDRs the endpoint is private only', () => {
    const prod = only(synthCluster({ production: true }).json, 'aws_eks_cluster');
    expect(prod.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(prod.vpc_config.public_access_cidrs).toBeUndefined();
  });

  test('the control plane sits in the private subnets only', () => {
    const privateSubnets = Object.entries(json.resource.aws_subnet)
      .filter(([, s]: [string, any]) => s.tags['kubernetes.io/role/internal-elb'] === '1')
      .map(([name]) => `\${aws_subnet.${name}.id}`);
    expect([...cluster.vpc_config.subnet_ids].sort()).toEqual(privateSubnets.sort());
  });

  test('authentication uses EKS access entries only (mode API, no aws-auth ConfigMap)', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: true });
  });

  test('admin principals get an access entry with the cluster-admin access policy', () => {
    // GIVEN
    const admin = 'arn:aws:iam::123456789012:role/platform-admin';
    // WHEN
    const { json: withAdmin } = synthCluster({ aws: awsInput({ adminPrincipalArns: [admin] }) });
    // THEN
    expect(only(withAdmin, 'aws_eks_access_entry')).toMatchObject({ principal_arn: admin, type: 'STANDARD' });
    expect(only(withAdmin, 'aws_eks_access_policy_association')).toMatchObject({
      policy_arn: expect.stringMatching(/:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/),
      access_scope: { type: 'cluster' },
    });
  });

  test('viewer principals (the CI plan role) get an access entry with the read-only view policy, never cluster-admin', () => {
    // GIVEN
    const viewer = 'arn:aws:iam::123456789012:role/ci-plan';
    // WHEN
    const { json: withViewer } = synthCluster({ aws: awsInput({ viewerPrincipalArns: [viewer] }) });
    // THEN
    expect(only(withViewer, 'aws_eks_access_entry')).toMatchObject({ principal_arn: viewer, type: 'STANDARD' });
    const association = only(withViewer, 'aws_eks_access_policy_association');
    expect(association).toMatchObject({ policy_arn: expect.stringMatching(/:eks::aws:cluster-access-policy\/AmazonEKSAdminViewPolicy$/), access_scope: { type: 'cluster' } });
    expect(association.policy_arn).not.toMatch(/ClusterAdminPolicy/);
  });

  test('an IAM OIDC provider for the cluster issuer enables IRSA', () => {
    expect(only(json, 'aws_iam_openid_connect_provider')).toEqual({
      url: `\${${addressOf(json, 'aws_eks_cluster', () => true)}.identity[0].oidc[0].issuer}`,
      client_id_list: ['sts.amazonaws.com'],
    });
  });

  test('production clusters are protected from destroy; development clusters are not', () => {
    expect(only(synthCluster({ production: true }).json, 'aws_eks_cluster').lifecycle).toEqual({ prevent_destroy: true });
    expect(cluster.lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('EKS control plane: bad input', () => {
  const baseProps = { name: 'kong-test', subnetIds: ['subnet-a', 'subnet-b'], secretsKeyArn: 'k', logKmsKeyArn: 'l', partition: 'aws' };
  const build = (props: Partial<ConstructorParameters<typeof HardenedEksCluster>[2]>) => new HardenedEksCluster(testStack(), 'eks', { ...baseProps, ...props });

  test('0.0.0.0/0 on the public endpoint fails in production, naming path, field, value and the fix', () => {
    expect(() => build({ production: true, endpoint: { publicAccessCidrs: ['0.0.0.0/0'] } })).toThrow(
      'stack/eks: endpoint.publicAccessCidrs: must list admin networks only in production: these together cover 86.19% of the public IPv4 space',
    );
  });

  test('the same through the stack and the environment section', () => {
    expect(() => synthCluster({ production: true, aws: productionInput({ endpoint: { publicAccessCidrs: ['0.0.0.0/0'] } }) })).toThrow(
      'test-cluster: aws.endpoint.publicAccessCidrs: must list admin networks only in production',
    );
  });

  test('0.0.0.0/0 outside production is allowed with a warning', () => {
    const { stack } = synthCluster({ aws: awsInput({ endpoint: { publicAccessCidrs: ['0.0.0.0/0'] } }) });
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => /warn/i.test(m.type));
    expect(warnings.map((w) => String(w.data))).toEqual(expect.arrayContaining([expect.stringMatching(/admits the whole Internet/)]));
  });

  test('an endpoint with neither private access nor public CIDRs fails', () => {
    expect(() => build({ endpoint: { privateAccess: false, publicAccessCidrs: [] } })).toThrow(
      /endpoint: needs privateAccess or publicAccessCidrs: otherwise nothing can reach the Kubernetes API/,
    );
  });

  test('a malformed Kubernetes version fails', () => {
    expect(() => build({ kubernetesVersion: '1.33.2' })).toThrow(/invalid kubernetesVersion "1\.33\.2": use a Kubernetes minor version/);
  });

  test('an admin principal that is not an IAM ARN fails', () => {
    expect(() => build({ adminPrincipalArns: ['platform-admin'] })).toThrow(/invalid adminPrincipalArns "platform-admin"/);
  });

  test('a single subnet fails (EKS needs two zones)', () => {
    expect(() => build({ subnetIds: ['subnet-a'] })).toThrow(/invalid subnetIds \["subnet-a"\]: EKS needs subnets in at least 2 availability zones/);
  });
});
