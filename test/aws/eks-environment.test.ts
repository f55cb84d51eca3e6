import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from '../../constructs/core/cdktf';
import { addEksEnvironmentStacks } from '../../stacks/eks/eks-environment';
import { KongPlatformStack } from '../../stacks/platform/kong-platform-stack';
import { environment, release } from '../support/platform-fixture';
import { awsSection } from './fixture';
import { synthJson } from '../support/terraform-json';

const S3_BACKEND = { type: 's3' as const, bucket: 'kong-dev-state', region: 'eu-west-1', keyPrefix: 'kong-platform' };

describe('addEksEnvironmentStacks', () => {
  test('an S3 backend adds the <env>-state stack that creates the bucket, its own state in that bucket (after bootstrap)', () => {
    // GIVEN / WHEN
    const app = Testing.app() as App;
    const stacks = addEksEnvironmentStacks(app, { name: 'dev', production: false, aws: awsSection(), backend: S3_BACKEND });
    // THEN
    expect(stacks.state?.node.id).toBe('dev-state');
    const state = synthJson(stacks.state!);
    expect(Object.values(state.resource.aws_s3_bucket)).toEqual([expect.objectContaining({ bucket: 'kong-dev-state' })]);
    expect(state.terraform.backend.s3).toMatchObject({ bucket: 'kong-dev-state', key: 'kong-platform/dev-state.tfstate', use_lockfile: true });
    const cluster = synthJson(stacks.cluster);
    expect(cluster.terraform.backend.s3).toMatchObject({ bucket: 'kong-dev-state', key: 'kong-platform/dev-cluster.tfstate', use_lockfile: true });
  });

  test('a local backend adds no state stack', () => {
    const stacks = addEksEnvironmentStacks(Testing.app() as App, { name: 'dev', production: false, aws: awsSection(), backend: { type: 'local' } });
    expect(stacks.state).toBeUndefined();
    expect(stacks.cluster.node.id).toBe('dev-cluster');
  });

  test('the platform stack built from its result installs the controller chart version of the aws section', () => {
    // GIVEN
    const app = Testing.app() as App;
    const aws = addEksEnvironmentStacks(app, { name: 'dev', production: false, aws: awsSection({ loadBalancerControllerChartVersion: '1.13.2' }) });
    const platform = new KongPlatformStack(app, 'dev-platform', { environment: environment(), clusterAccess: aws.clusterAccess, addOns: aws.addOns });
    // WHEN
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', platform.node.id, 'cdk.tf.json'), 'utf8'));
    // THEN
    expect(release(json, 'aws-load-balancer-controller').version).toBe('1.13.2');
    expect(json.data.terraform_remote_state).toBeDefined();
  });
});
