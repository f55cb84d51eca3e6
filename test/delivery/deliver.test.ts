import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as crypto from 'crypto';
import {
  apply,
  bootstrap,
  check,
  decryptFile,
  destroy,
  verifyImageSignatures,
  DeliverOptions,
  encryptFile,
  plan,
  requireBootstrapped,
  requireClusterNetwork,
  run,
} from '../../scripts/deliver';

// scripts/deliver.ts against a fake terraform that logs every call and models the state storage: `init` of the
// state stack fails with "bucket does not exist" until an apply on the local-state override created it; a
// stack plans changes until it was applied; `output -json` is empty before the apply.
const FAKE_TERRAFORM = `#!/usr/bin/env bash
echo "$(basename "$PWD") $*" >> "$FAKE_LOG"
case "$1" in
  init)
    if [[ "$PWD" == *-state && ! -f "$FAKE_ROOT/storage-exists" && ! -f bootstrap_override.tf.json ]]; then
      echo 'Error: Failed to get existing workspaces: S3 bucket "b" does not exist.' >&2; exit 1; fi
    exit 0;;
  apply) touch applied.json; if [[ -f bootstrap_override.tf.json ]]; then touch "$FAKE_ROOT/storage-exists"; fi; exit 0;;
  plan) for a in "$@"; do [[ "$a" == -out=* ]] && echo plan > "\${a#-out=}"; done
    if [[ -f applied.json && ! -f "$FAKE_ROOT/pending-$(basename "$PWD")" ]]; then exit 0; fi; exit 2;;
  show) cat "$FAKE_ROOT/plan.json";;
  output) if [[ -f applied.json ]]; then echo '{"id":{"value":"x"}}'; else echo '{}'; fi;;
  state) echo aws_s3_bucket.state;;
esac
`;

const EMPTY_PLAN = {
  format_version: '1.2',
  terraform_version: '1.11.4',
  resource_changes: [{ address: 'aws_s3_bucket.x', type: 'aws_s3_bucket', change: { actions: ['create'], before: null, after: { bucket: 'x' } } }],
};

function fixture(stages = ['state', 'cluster', 'platform']) {
  const root = mkdtempSync(join(tmpdir(), 'deliver-'));
  const stacksDir = join(root, 'stacks');
  for (const stage of stages) {
    mkdirSync(join(stacksDir, `dev-${stage}`), { recursive: true });
    writeFileSync(join(stacksDir, `dev-${stage}`, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { s3: { bucket: 'kong-dev-state', key: `k/${stage}` } } } }));
  }
  const terraform = join(root, 'terraform');
  writeFileSync(terraform, FAKE_TERRAFORM);
  chmodSync(terraform, 0o755);
  writeFileSync(join(root, 'plan.json'), JSON.stringify(EMPTY_PLAN));
  const lines: string[] = [];
  const options: DeliverOptions = {
    stacksDir,
    readOnly: false,
    encryptPlan: false,
    allowHighRisk: false,
    includeState: false,
    terraform,
    env: { PATH: process.env.PATH, FAKE_LOG: join(root, 'log'), FAKE_ROOT: root },
    log: (l) => lines.push(l),
  };
  const calls = () => (existsSync(join(root, 'log')) ? readFileSync(join(root, 'log'), 'utf8').trim().split('\n') : []);
  return { root, stacksDir, options, calls, lines };
}

const quiet = () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
};

describe('scripts/deliver.ts: the delivery sequence', () => {
  beforeEach(quiet);
  afterEach(() => jest.restoreAllMocks());

  test('bootstrap creates the storage on local state, migrates into it, and is a no-op the second time', async () => {
    // GIVEN an environment whose state bucket does not exist
    const { options, calls } = fixture();
    // WHEN
    const first = await bootstrap('dev', options);
    const second = await bootstrap('dev', options);
    // THEN
    expect([first, second]).toEqual([true, false]);
    const state = calls().filter((c) => c.startsWith('dev-state'));
    expect(state.map((c) => c.split(' ').slice(1, 2).join(' '))).toEqual(['init', 'init', 'apply', 'init', 'init', 'state', 'init']);
    expect(state).toContain('dev-state init -input=false -no-color -migrate-state -force-copy');
    expect(existsSync(join(options.stacksDir, 'dev-state', 'bootstrap_override.tf.json'))).toBe(false);
  });

  test('bootstrapped (read-only, before the first plan) fails with what to run until the bootstrap ran, then passes', async () => {
    // GIVEN an environment whose state bucket does not exist
    const { options, calls } = fixture();
    // WHEN / THEN
    await expect(requireBootstrapped('dev', options)).rejects.toThrow(
      'dev: not bootstrapped: its s3 state storage does not exist yet. Run the bootstrap once with the apply identity (GitLab: the manual job dev:bootstrap; GitHub: run the infrastructure workflow with bootstrap_environment=dev',
    );
    expect(calls().every((c) => / init /.test(c))).toBe(true); // read-only: nothing but init
    await bootstrap('dev', options);
    await expect(requireBootstrapped('dev', options)).resolves.toBeUndefined();
  });

  test('run applies state, cluster, platform in order, each planned after the previous apply, and ends with a no-change check', async () => {
    // GIVEN
    const { options, calls } = fixture();
    // WHEN
    const reached = await run('dev', options);
    // THEN
    expect(reached).toEqual(['state', 'cluster', 'platform']);
    // the state stage was applied by its bootstrap (then plans no changes), the others from their saved plans
    const applies = calls()
      .filter((c) => / apply /.test(c))
      .map((c) => `${c.split(' ')[0]} ${c.endsWith('plan.tfplan') ? 'saved plan' : 'bootstrap'}`);
    expect(applies).toEqual(['dev-state bootstrap', 'dev-cluster saved plan', 'dev-platform saved plan']);
    const log = calls();
    expect(log.indexOf('dev-state output -json -no-color')).toBeGreaterThan(log.findIndex((c) => c.startsWith('dev-state apply')));
    expect(log.findIndex((c) => c.startsWith('dev-cluster plan'))).toBeGreaterThan(log.indexOf('dev-state output -json -no-color'));
    expect(log.slice(-2).map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['dev-platform init', 'dev-platform plan']);
  });

  test('run fails when a stage still plans changes after its apply (the sequence did not converge)', async () => {
    // GIVEN the cluster keeps planning changes (no state stage: nothing to bootstrap)
    const { options, root } = fixture(['cluster', 'platform']);
    writeFileSync(join(root, 'pending-dev-cluster'), '');
    // WHEN / THEN
    await expect(run('dev', options)).rejects.toThrow(/cluster still plan changes/);
  });

  test('a stage is not planned before the previous stage was applied', async () => {
    // GIVEN the state storage exists but the state stage was never applied
    const { options, root } = fixture();
    writeFileSync(join(root, 'storage-exists'), '');
    // WHEN / THEN
    await expect(plan('dev', 'cluster', options)).rejects.toThrow(/previous stage dev-state has no applied outputs; apply it first \(order: state -> cluster -> platform\)/);
  });

  test('apply refuses a high-risk plan unless allowed, and a read-only plan keeps no plan file', async () => {
    // GIVEN a plan deleting an EKS cluster
    const { options, root, stacksDir } = fixture(['cluster', 'platform']);
    writeFileSync(
      join(root, 'plan.json'),
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [{ address: 'aws_eks_cluster.eks', type: 'aws_eks_cluster', change: { actions: ['delete'], before: { name: 'c' }, after: null } }],
      }),
    );
    await plan('dev', 'cluster', options);
    // WHEN / THEN
    await expect(apply('dev', 'cluster', options)).rejects.toThrow(/high-risk changes/);
    await expect(apply('dev', 'cluster', { ...options, allowHighRisk: true })).resolves.toBeUndefined();
    await plan('dev', 'cluster', { ...options, readOnly: true });
    expect(['plan.tfplan', 'plan.json', 'plan-summary.md'].map((f) => existsSync(join(stacksDir, 'dev-cluster', f)))).toEqual([false, false, true]);
  });

  test('encrypted plans round-trip with the key and fail with another', () => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'deliver-enc-'));
    writeFileSync(join(dir, 'plan'), 'secret plan bytes');
    const key = crypto.randomBytes(32);
    // WHEN
    encryptFile(join(dir, 'plan'), key, join(dir, 'plan.enc'));
    decryptFile(join(dir, 'plan.enc'), key, join(dir, 'back'));
    // THEN
    expect(readFileSync(join(dir, 'plan.enc'), 'utf8')).not.toContain('secret plan bytes');
    expect(readFileSync(join(dir, 'back'), 'utf8')).toBe('secret plan bytes');
    expect(() => decryptFile(join(dir, 'plan.enc'), crypto.randomBytes(32), join(dir, 'bad'))).toThrow();
  });

  test('a private AKS API stops the platform stage on a hosted runner with the runner it needs', () => {
    // GIVEN
    const { stacksDir } = fixture(['cluster', 'platform']);
    writeFileSync(join(stacksDir, 'dev-cluster', 'cdk.tf.json'), JSON.stringify({ resource: { azurerm_kubernetes_cluster: { aks: { private_cluster_enabled: true } } } }));
    // WHEN / THEN
    expect(() => requireClusterNetwork('dev', 'platform', { stacksDir, env: {} })).toThrow(
      /AKS API server is private .*GitLab: a project runner tagged kong-dev; GitHub: a self-hosted runner labelled kong-dev.*RUNNER_IN_CLUSTER_NETWORK=true/,
    );
    expect(() => requireClusterNetwork('dev', 'platform', { stacksDir, env: { RUNNER_IN_CLUSTER_NETWORK: 'true' } })).not.toThrow();
    expect(() => requireClusterNetwork('dev', 'cluster', { stacksDir, env: {} })).not.toThrow();
  });

  test('drift check and destroy refuse a private cluster from a hosted runner before touching any stage', async () => {
    // GIVEN a private AKS cluster and a runner outside its network
    const { options, calls } = fixture(['cluster', 'platform']);
    writeFileSync(
      join(options.stacksDir, 'dev-cluster', 'cdk.tf.json'),
      JSON.stringify({ terraform: { backend: { s3: { bucket: 'b', key: 'k' } } }, resource: { azurerm_kubernetes_cluster: { aks: { private_cluster_enabled: true } } } }),
    );
    // WHEN / THEN
    await expect(check('dev', { ...options, readOnly: true })).rejects.toThrow(/dev-platform: the AKS API server is private/);
    await expect(destroy('dev', options)).rejects.toThrow(/dev-platform: the AKS API server is private/);
    expect(calls()).toEqual([]);
  });

  describe('image signatures are verified before a stack that deploys images is applied', () => {
    const GOOD = 'registry.example.com/kong@sha256:' + 'a1'.repeat(32);
    const BAD = 'registry.example.com/controller@sha256:' + 'b2'.repeat(32);
    // A fake cosign: logs its arguments, refuses the BAD image.
    const withImages = (images: { production: boolean; pinned: string[]; unpinned?: string[] }) => {
      const f = fixture(['cluster', 'platform']);
      writeFileSync(join(f.stacksDir, 'dev-platform', 'images.json'), JSON.stringify({ unpinned: [], ...images }));
      const cosign = join(f.root, 'cosign');
      writeFileSync(cosign, `#!/usr/bin/env bash\necho "cosign $*" >> "$FAKE_LOG"\n[[ "$*" == *controller@* ]] && exit 1\nexit 0\n`);
      chmodSync(cosign, 0o755);
      return { ...f, env: { ...f.options.env, COSIGN: cosign } };
    };

    test('with a public key, every image is verified by digest against it', async () => {
      const { options, env, calls } = withImages({ production: true, pinned: [GOOD] });
      await expect(verifyImageSignatures('dev', 'platform', { ...options, env: { ...env, COSIGN_PUBLIC_KEY: 'awskms:///alias/kong-images' } })).resolves.toEqual([GOOD]);
      expect(calls()).toEqual([`cosign verify --key awskms:///alias/kong-images ${GOOD}`]);
    });

    test('an ECR registry is logged in with the job identity before cosign reads its signatures', async () => {
      const ecrImage = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/kong-platform/kong@sha256:' + 'c3'.repeat(32);
      const { options, env, calls, root } = withImages({ production: true, pinned: [ecrImage] });
      const aws = join(root, 'aws');
      writeFileSync(aws, `#!/usr/bin/env bash\necho "aws $*" >> "$FAKE_LOG"\necho ecr-token\n`);
      chmodSync(aws, 0o755);
      await verifyImageSignatures('dev', 'platform', { ...options, env: { ...env, AWS_CLI: aws, COSIGN_PUBLIC_KEY: 'cosign.pub' } });
      expect(calls()).toEqual([
        'aws ecr get-login-password --region eu-west-1',
        'cosign login --username AWS --password-stdin 111122223333.dkr.ecr.eu-west-1.amazonaws.com',
        `cosign verify --key cosign.pub ${ecrImage}`,
      ]);
    });

    test('keyless: the certificate identity and issuer of the image pipeline are required', async () => {
      const { options, env, calls } = withImages({ production: true, pinned: [GOOD] });
      const keyless = { ...env, COSIGN_CERTIFICATE_IDENTITY_REGEXP: '^https://gitlab.example.com/platform/kong/', COSIGN_CERTIFICATE_OIDC_ISSUER: 'https://gitlab.example.com' };
      await verifyImageSignatures('dev', 'platform', { ...options, env: keyless });
      expect(calls()).toEqual([
        `cosign verify --certificate-identity-regexp ^https://gitlab.example.com/platform/kong/ --certificate-oidc-issuer https://gitlab.example.com ${GOOD}`,
      ]);
    });

    test('an image whose signature does not verify stops the apply before terraform runs', async () => {
      const { options, env, calls } = withImages({ production: false, pinned: [GOOD, BAD] });
      writeFileSync(join(options.stacksDir, 'dev-platform', 'plan.tfplan'), 'plan');
      await expect(apply('dev', 'platform', { ...options, env: { ...env, COSIGN_PUBLIC_KEY: 'cosign.pub' } })).rejects.toThrow(
        `dev-platform: the signature of ${BAD} does not verify (cosign exited with 1); not applying`,
      );
      expect(calls().filter((c) => !c.startsWith('cosign'))).toEqual([]);
    });

    test('production refuses to deploy without a verifier, or with an image without a digest; elsewhere it warns', async () => {
      const prod = withImages({ production: true, pinned: [GOOD] });
      await expect(verifyImageSignatures('dev', 'platform', { ...prod.options, env: prod.env })).rejects.toThrow(
        /dev-platform: no image signature verifier configured: set COSIGN_PUBLIC_KEY, or COSIGN_CERTIFICATE_IDENTITY and COSIGN_CERTIFICATE_OIDC_ISSUER .*; a production stack deploys signed images only/,
      );
      const tagOnly = withImages({ production: true, pinned: [], unpinned: ['docker.io/kong:3.9'] });
      await expect(verifyImageSignatures('dev', 'platform', { ...tagOnly.options, env: { ...tagOnly.env, COSIGN_PUBLIC_KEY: 'k' } })).rejects.toThrow(
        'dev-platform: images without a digest cannot be verified: docker.io/kong:3.9',
      );
      const dev = withImages({ production: false, pinned: [GOOD] });
      await expect(verifyImageSignatures('dev', 'platform', { ...dev.options, env: dev.env })).resolves.toEqual([]);
      expect(dev.lines).toContainEqual(expect.stringMatching(/^warning: dev-platform: no image signature verifier configured.*1 image\(s\) deployed unverified/));
    });
  });
});
