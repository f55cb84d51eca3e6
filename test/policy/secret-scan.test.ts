/**
 * Plaintext secrets in what a stack synthesizes. Test credentials are assembled at run time
 * (and are the vendors' documented example values or random-looking filler), so the source
 * holds no string a secret scanner would flag.
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { TerraformOutput, TerraformVariable } from '../../constructs/core/cdktf';
import { findSecrets, isSecretKey, shannonEntropy } from '../../constructs/policy/secret-scan';
import { compliantGatewayValues, kongRelease, merge, messagesOf, valuesYaml } from './support';

const join = (...parts: string[]) => parts.join('');
const PEM = join('-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIEow', 'IBAAKCAQEA\n-----END RSA PRIVATE KEY-----');
const AWS_KEY_ID = join('AKIA', 'IOSFODNN7EXAMPLE');
const GITHUB_TOKEN = join('ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8');
const KONNECT_TOKEN = join('kpat', '_', 'Zq8Lr2Vx9Tn4Wm6Pk3Hs7Jd1Fb5Gc0Ya2Ue4Io6');
const JWT = join('eyJ', 'hbGciOiJIUzI1NiJ9', '.', 'eyJ', 'zdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U');
const GENERATED = join('q7R', '9xLm2Vt8Kp4Zw6Hs3Jd', '1Fb5');

describe('findSecrets', () => {
  test.each([
    ['a PEM private key', PEM, 'private key (PEM)'],
    ['a PEM private key, base64-encoded (Secret data)', Buffer.from(PEM).toString('base64'), 'private key (PEM), base64-encoded'],
    ['an AWS access key id', `id=${AWS_KEY_ID}`, 'AWS access key id'],
    ['a GitHub token', GITHUB_TOKEN, 'GitHub token'],
    ['a Konnect personal access token', KONNECT_TOKEN, 'Konnect access token'],
    ['a JWT', `Bearer ${JWT}`, 'JSON Web Token'],
    ['credentials in a URL', join('postgres://kong:', 'hunter2hunter2', '@db.internal:5432/kong'), 'credentials in a URL'],
    ['an HTTP Basic header value', join('Authorization:Basic ', 'c3ZjLXBheW1lbnRzOlN1cGVy', 'U2VjcmV0UGFzc3dvcmQxMjM='), 'HTTP Basic credentials'],
    ['a literal bearer token', join('Bearer ', 'Zq8Lr2Vx9Tn4Wm6Pk3Hs7Jd1'), 'HTTP bearer token'],
    ['a storage account key in a connection string', join('DefaultEndpointsProtocol=https;AccountName=stx;AccountKey=', 'Zm9vYmFyYmF6cXV4cXV1eA=='), 'Azure storage account key'],
    ['a password in a connection string', join('Server=db;Database=kong;User Id=kong;Password=', 'Tr0ub4dor&3x;'), 'secret in a connection string'],
  ])('finds %s in any field', (_name, value, kind) => {
    expect(findSecrets({ description: value })).toEqual([{ path: 'description', kind }]);
  });

  test('finds a generated-looking literal in a secret-named field, at its path', () => {
    expect(findSecrets({ config: { client_secret: GENERATED } })).toEqual([{ path: 'config.client_secret', kind: 'literal value in the secret-named field "client_secret"' }]);
  });

  test('finds secrets inside an embedded values document', () => {
    const values = valuesYaml({ env: { pg_password: GENERATED } });
    expect(findSecrets({ values: [values] })).toEqual([{ path: 'values[0].env.pg_password', kind: 'literal value in the secret-named field "pg_password"' }]);
  });

  test.each([
    ['a Terraform reference', { password: '${var.db_password}' }],
    ['a Kong vault reference', { client_secret: '{vault://env/partner-secret}' }],
    ['a Secret name', { existingSecret: 'kong-enterprise-license' }],
    ['a mounted file path', { token: '/var/run/secrets/kubernetes.io/serviceaccount/token' }],
    ['a certificate (public)', { ca: join('-----BEGIN ', 'CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----') }],
    ['a low-entropy placeholder', { password: 'changemechangeme' }],
    ['a secret-named field holding a Key Vault reference', { secret: 'https://kv-prod.vault.azure.net/secrets/edge' }],
  ])('leaves %s alone', (_name, value) => {
    expect(findSecrets(value)).toEqual([]);
  });

  test('does not walk into unresolved token objects (cross-stack references)', () => {
    // GIVEN an object that is not plain data and links back to itself, as cdktf tokens do
    class Token {
      public self = this;
    }
    // THEN the scan ends and finds nothing
    expect(findSecrets({ value: new Token() })).toEqual([]);
  });

  test('a long run of scheme-like characters is scanned in linear time', () => {
    const start = process.hrtime.bigint();
    findSecrets({ blob: 'a'.repeat(500_000) });
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(2000);
  });

  test('isSecretKey reads any casing and separator; shannonEntropy is bits per character', () => {
    expect(['X-Api-Key', 'PRIVATE_KEY', 'clientSecret', 'PassWord'].every(isSecretKey)).toBe(true);
    expect(['secretName', 'tokenTtl', 'keyAuth'].some(isSecretKey)).toBe(false);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('KP-SEC-001 over every block of a stack', () => {
  test('a private key in Helm values is refused, naming the attribute', () => {
    const values = merge(compliantGatewayValues(), { env: { ssl_cert_key: PEM } });
    expect(messagesOf('KP-SEC-001', (s) => kongRelease(s, values))).toEqual([
      expect.stringMatching(/^attribute values\[0\]\.env\.ssl_cert_key holds a private key \(PEM\) in plain text: pass it through a sensitive variable/),
    ]);
  });

  test('a token in the provider default tags is refused', () => {
    const build = (s: any) => new AwsProvider(s, 'aws', { region: 'eu-west-1', defaultTags: [{ tags: { deployer: GITHUB_TOKEN } }] });
    expect(messagesOf('KP-SEC-001', build)).toEqual([expect.stringMatching(/^provider default_tags\[0\]\.tags\.deployer holds a GitHub token/)]);
  });

  test('an output and a variable default are scanned', () => {
    const build = (s: any) => {
      new TerraformOutput(s, 'konnect', { value: KONNECT_TOKEN });
      new TerraformVariable(s, 'aws_key', { type: 'string', default: AWS_KEY_ID });
    };
    expect(messagesOf('KP-SEC-001', build).sort()).toEqual([
      expect.stringMatching(/^output value holds a Konnect access token/),
      expect.stringMatching(/^variable default holds a AWS access key id/),
    ]);
  });

  test('literal Secret data is refused; data from a variable passes', () => {
    const literal = (s: any) => new SecretV1(s, 'literal', { metadata: { name: 'x', namespace: 'kong' }, data: { 'tls.key': PEM } });
    const fromVariable = (s: any) =>
      new SecretV1(s, 'ref', { metadata: { name: 'x', namespace: 'kong' }, data: { 'tls.key': new TerraformVariable(s, 'key', { sensitive: true }).stringValue } });
    expect(messagesOf('KP-SEC-001', literal)).toHaveLength(1);
    expect(messagesOf('KP-SEC-001', fromVariable)).toEqual([]);
  });

  test('resource tags are scanned too', () => {
    expect(messagesOf('KP-SEC-001', (s) => new S3Bucket(s, 'b', { bucket: 'b', tags: { owner: AWS_KEY_ID } }))).toHaveLength(1);
  });

  test('an ordinary hardened release has no finding', () => {
    expect(messagesOf('KP-SEC-001', (s) => new Release(s, 'r', { name: 'r', chart: 'kong', values: [valuesYaml(compliantGatewayValues())] }))).toEqual([]);
  });
});
