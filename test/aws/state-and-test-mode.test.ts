import { App, Testing } from '../../constructs/core/cdktf';
import { EMULATED_AWS_SERVICES } from '../../stacks/eks/aws-provider';
import { StateBucketStack } from '../../stacks/eks/state-bucket-stack';
import { only, resources, synthCluster } from './fixture';
import { synthJson } from '../support/terraform-json';

const EMULATOR = { endpoint: 'http://127.0.0.1:5999' };

describe('remote state', () => {
  test('the cluster stack uses the S3 backend with S3-native locking and encryption', () => {
    const { json } = synthCluster({ backend: { type: 's3', bucket: 'kong-state', region: 'eu-west-1', keyPrefix: 'kong' } });
    expect(json.terraform.backend.s3).toEqual({ bucket: 'kong-state', key: 'kong/test-cluster.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true });
  });

  const stateStack = (production: boolean) => {
    const app = Testing.app() as App;
    return JSON.parse(Testing.synth(new StateBucketStack(app, 'test-state', { environment: 'test', production, region: 'eu-west-1', bucketName: 'kong-state' })));
  };

  test('the state bucket is versioned and encrypted with its own rotating KMS key', () => {
    const json = stateStack(true);
    expect(only(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    const sse = only(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(sse.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/) });
    expect(sse.bucket_key_enabled).toBe(true);
    expect(only(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(only(json, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
  });

  test('the production state bucket is protected from destroy and never force-deleted', () => {
    expect(only(stateStack(true), 'aws_s3_bucket')).toMatchObject({ bucket: 'kong-state', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(only(stateStack(false), 'aws_s3_bucket').lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('test mode (emulator) stays out of normal synth', () => {
  const normal = synthCluster().json;
  const emulated = synthCluster({ emulator: EMULATOR }).json;

  test('normal synth has no endpoint overrides, static credentials or skipped checks', () => {
    const provider = normal.provider.aws[0];
    for (const key of ['endpoints', 'access_key', 'secret_key', 'skip_credentials_validation', 'skip_requesting_account_id', 'skip_metadata_api_check', 's3_use_path_style']) {
      expect(provider[key]).toBeUndefined();
    }
    expect(JSON.stringify(normal)).not.toContain('127.0.0.1');
  });

  test('normal synth has none of the emulator workarounds', () => {
    expect(only(normal, 'aws_eks_cluster').lifecycle.ignore_changes).toBeUndefined();
    expect(only(normal, 'aws_eks_node_group').lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
    expect(only(normal, 'aws_launch_template').lifecycle).toBeUndefined();
    expect(resources(normal, 'aws_security_group').map((g) => g.name)).not.toContain('kong-test-emulator-cluster');
  });

  test('test mode redirects every AWS service the stack uses to the loopback emulator, with fake credentials', () => {
    const provider = emulated.provider.aws[0];
    expect(Object.keys(provider.endpoints[0]).sort()).toEqual([...EMULATED_AWS_SERVICES].sort());
    for (const url of Object.values(provider.endpoints[0])) expect(url).toBe(EMULATOR.endpoint);
    expect(provider).toMatchObject({ access_key: 'testing', secret_key: 'testing', skip_credentials_validation: true, skip_requesting_account_id: true, s3_use_path_style: true });
  });

  test('every resource type in the stack belongs to an emulated service', () => {
    const serviceOf: Record<string, string> = {
      acm: 'acm',
      cloudwatch: 'logs',
      default: 'ec2',
      ecr: 'ecr',
      eip: 'ec2',
      eks: 'eks',
      flow: 'ec2',
      iam: 'iam',
      internet: 'ec2',
      kms: 'kms',
      launch: 'ec2',
      lb: 'elbv2',
      nat: 'ec2',
      route: 'ec2',
      route53: 'route53',
      s3: 's3',
      security: 'ec2',
      subnet: 'ec2',
      vpc: 'ec2',
      wafv2: 'wafv2',
    };
    for (const type of Object.keys(emulated.resource)) {
      const [, first] = type.split('_');
      const service = serviceOf[first];
      expect([type, service && (EMULATED_AWS_SERVICES as readonly string[]).includes(service)]).toEqual([type, true]);
    }
  });

  test('an emulator endpoint that is not loopback is refused', () => {
    expect(() => synthCluster({ emulator: { endpoint: 'http://10.0.0.5:5000' } })).toThrow(
      /invalid emulator\.endpoint "http:\/\/10\.0\.0\.5:5000": use http\(s\):\/\/127\.0\.0\.1:<port>/,
    );
    expect(() => synthCluster({ emulator: { endpoint: 'https://10.0.0.5:5000' } })).toThrow(/invalid emulator\.endpoint/);
  });

  test('in test mode an S3 backend talks to the emulator only, over loopback, and the state bucket keeps its policy outside test mode', () => {
    // GIVEN
    const { Testing, App } = require('../../constructs/core/cdktf');
    const app = Testing.app();
    const emulated = new StateBucketStack(app, 'e-state', {
      environment: 'e',
      production: false,
      region: 'eu-west-1',
      bucketName: 'kong-e-state',
      backend: { type: 's3', bucket: 'kong-e-state', region: 'eu-west-1' },
      emulator: { endpoint: 'https://127.0.0.1:4566' },
    });
    const real = new StateBucketStack(app, 'r-state', {
      environment: 'r',
      production: false,
      region: 'eu-west-1',
      bucketName: 'kong-r-state',
      backend: { type: 's3', bucket: 'kong-r-state', region: 'eu-west-1' },
    });
    // WHEN
    const e = synthJson(emulated);
    const r = synthJson(real);
    // THEN the state stack's own state lives in the bucket it creates
    expect(e.terraform.backend.s3).toMatchObject({
      bucket: 'kong-e-state',
      key: 'kong-platform/e-state.tfstate',
      endpoints: { s3: 'https://127.0.0.1:4566' },
      insecure: true,
      use_path_style: true,
    });
    expect(r.terraform.backend.s3).toMatchObject({ bucket: 'kong-r-state', key: 'kong-platform/r-state.tfstate', encrypt: true, use_lockfile: true });
    expect(JSON.stringify(r.terraform.backend)).not.toMatch(/127\.0\.0\.1|insecure|endpoints/);
    expect(Object.values(r.resource.aws_s3_bucket_policy).map((p: any) => p.count)).toEqual([undefined]);
    expect(Object.values(e.resource.aws_s3_bucket_policy).map((p: any) => p.count)).toEqual([0]);
    void App;
  });
});
