import { s3BucketNameProblem } from '../../constructs/aws/bucket-name';
import { SecureBucket } from '../../constructs/aws/secure-bucket';
import { TerraformVariable } from '../../constructs/core/cdktf';
import { problems, rawEnvironment } from '../support/platform-fixture';
import { testStack } from './fixture';

describe('S3 bucket names S3 would refuse at apply are refused at synth', () => {
  test.each([
    ['ab', 'must be 3 to 63 characters long (it has 2)'],
    ['a'.repeat(64), 'must be 3 to 63 characters long (it has 64)'],
    ['Kong-State', 'must use only lowercase letters, digits, "." and "-"'],
    ['kong_state', 'must use only lowercase letters, digits, "." and "-"'],
    ['-kong-state', 'must begin and end with a lowercase letter or a digit'],
    ['kong-state.', 'must begin and end with a lowercase letter or a digit'],
    ['kong..state', 'must not contain two adjacent periods'],
    ['192.168.10.4', 'must not be formatted as an IP address'],
    ['xn--kong-state', 'must not start with "xn--" (reserved by S3)'],
    ['sthree-kong', 'must not start with "sthree-" (reserved by S3)'],
    ['kong-state-s3alias', 'must not end with "-s3alias" (reserved by S3)'],
    ['kong--ol-s3', 'must not end with "--ol-s3" (reserved by S3)'],
  ])('GIVEN %p THEN %s', (name, problem) => {
    expect(s3BucketNameProblem(name)).toBe(problem);
  });

  test.each(['kong-prod-state', 'abc', 'kong.prod.state', '123-state', 'a'.repeat(63)])('GIVEN %p THEN it passes', (name) => {
    expect(s3BucketNameProblem(name)).toBeUndefined();
  });

  test('GIVEN a library SecureBucket with a bad literal name THEN the construct refuses it, naming the field', () => {
    expect(() => new SecureBucket(testStack(), 'state', { bucketName: 'Kong_State' })).toThrow(/state: invalid bucketName "Kong_State": must use only lowercase letters/);
  });

  test('GIVEN a name only known at apply (a Terraform reference) THEN it is left to S3', () => {
    const stack = testStack();
    const name = new TerraformVariable(stack, 'bucket-name', { type: 'string' }).stringValue;
    expect(() => new SecureBucket(stack, 'logs', { bucketName: name })).not.toThrow();
  });

  test('GIVEN an environment file with a bad state bucket THEN the loader names the file and field', () => {
    const raw = rawEnvironment({ backend: { type: 's3', bucket: 'kong..state', region: 'eu-west-1' } });
    expect(problems(raw)).toContainEqual('test-env.yaml: backend.bucket: must not contain two adjacent periods, got "kong..state"');
  });
});
