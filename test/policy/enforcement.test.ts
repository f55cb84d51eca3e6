import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { loadEnvironments, parseEnvironmentText } from '../../config/load';
import { App, Testing, TerraformStack } from '../../constructs/core/cdktf';
import { PolicyError, applyPolicies, checkPolicies, evaluatePolicies } from '../../constructs/policy/policy-aspect';
import { policyDocument, policyReport } from '../../constructs/policy/policy-report';
import { runPolicyReport } from '../../scripts/policy';
import { EksClusterStack } from '../../stacks/eks/eks-cluster-stack';
import { addEnvironmentStacks } from '../../stacks/environment-stacks';
import { PLUGINS_DIR, REPO_ROOT, environment, problems, rawEnvironment } from '../support/platform-fixture';
import { checkStack } from './support';

/** An app that really synthesizes (to a scratch folder); provider-less test stacks skip validation. */
const synthApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), skipValidation: true });

const sampleEnvironments = () => loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS_DIR });

/** Two insecure resources: an ECR repository with mutable tags and a KMS key without rotation. */
function insecure(stack: TerraformStack): void {
  new EcrRepository(stack, 'images', {
    name: 'kong',
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: [{ encryptionType: 'KMS' }],
  });
  new KmsKey(stack, 'key', { description: 'k', enableKeyRotation: false });
}

describe('policy guardrails on the sample environments', () => {
  test('production sample stacks have no unwaived violation', () => {
    // GIVEN
    const app = Testing.app() as App;
    for (const env of sampleEnvironments()) addEnvironmentStacks(app, env, { pluginsDirectory: PLUGINS_DIR });
    // WHEN
    const results = evaluatePolicies(app);
    // THEN
    const production = results.filter((r) => r.production);
    expect(production.length).toBeGreaterThanOrEqual(3);
    expect(production.flatMap((r) => r.violations.filter((v) => !v.waiver).map((v) => `${r.stack} ${v.rule.id} ${v.path}: ${v.message}`))).toEqual([]);
    expect(results.every((r) => Object.values(r.status).includes('pass'))).toBe(true);
  });

  test('non-production sample stacks have no unwaived violation either, third-party charts included (mesh control plane and CNI, AWS Load Balancer Controller)', () => {
    // GIVEN
    const app = Testing.app() as App;
    for (const env of sampleEnvironments()) addEnvironmentStacks(app, env, { pluginsDirectory: PLUGINS_DIR });
    // WHEN
    const results = evaluatePolicies(app).filter((r) => !r.production);
    // THEN
    expect(results.length).toBeGreaterThanOrEqual(3);
    expect(results.flatMap((r) => r.violations.filter((v) => !v.waiver).map((v) => `${r.stack} ${v.rule.id} ${v.path}: ${v.message}`))).toEqual([]);
  });

  test('the aws-dev cluster stack passes every AWS rule', () => {
    // GIVEN the EKS cluster stack built from the aws-dev section
    const env = sampleEnvironments().find((e) => e.name === 'aws-dev')!;
    const app = Testing.app() as App;
    const stack = new EksClusterStack(app, 'aws-dev-cluster', { environment: env.name, production: false, aws: env.aws! });
    // WHEN
    const result = applyPolicies(stack, { production: false }).checkAll();
    // THEN
    expect(result.violations.map((v) => `${v.rule.id} ${v.path}: ${v.message}`)).toEqual([]);
    const aws = Object.entries(result.status).filter(([id]) => id.startsWith('KP-AWS-'));
    expect(aws.length).toBeGreaterThan(10);
    expect(aws.filter(([, status]) => status !== 'pass')).toEqual([]);
  });

  test('onprem-hybrid waives its PERMISSIVE mesh with a reason, and without the waiver the rule fails at the mesh chart', () => {
    // GIVEN the sample without its waivers
    const sample = sampleEnvironments().find((e) => e.name === 'onprem-hybrid')!;
    const app = Testing.app() as App;
    addEnvironmentStacks(app, { ...sample, policy: { waivers: [] } }, { pluginsDirectory: PLUGINS_DIR });
    // WHEN
    const [result] = evaluatePolicies(app);
    // THEN
    expect(result.status['KP-MESH-002']).toBe('FAIL');
    expect(result.violations.filter((v) => v.rule.area === 'mesh').map((v) => [v.rule.id, v.path])).toEqual([
      ['KP-MESH-002', 'onprem-hybrid-platform/kong/mesh/policies/mesh/Release'],
    ]);
  });
});

describe('policy enforcement', () => {
  test('production: checkPolicies throws one PolicyError listing every violation of every stack with path, rule and Checkov ids', () => {
    // GIVEN two production stacks with two violations each
    const app = Testing.app() as App;
    for (const id of ['one', 'two']) {
      const stack = new TerraformStack(app, id);
      insecure(stack);
      applyPolicies(stack, { production: true });
    }
    // WHEN
    let error: unknown;
    try {
      checkPolicies(app);
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(PolicyError);
    const message = (error as PolicyError).message;
    expect(message).toContain('Policy guardrails failed (4 violations in 2 production stacks)');
    for (const id of ['one', 'two']) {
      expect(message).toContain(`${id}: KP-AWS-006 [CKV_AWS_51] at ${id}/images: image_tag_mutability is "MUTABLE", must be "IMMUTABLE"`);
      expect(message).toContain(`${id}: KP-AWS-016 [CKV_AWS_7] at ${id}/key: enable_key_rotation is false, must be true`);
    }
  });

  test('production: the violations are also error annotations, so a plain app.synth() fails', () => {
    // GIVEN
    const app = synthApp();
    const stack = new TerraformStack(app, 'prod');
    insecure(stack);
    applyPolicies(stack, { production: true });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/KP-AWS-006/);
  });

  test('non-production: warnings on the offending resources, no error', () => {
    // GIVEN
    const app = Testing.app() as App;
    const stack = new TerraformStack(app, 'dev');
    insecure(stack);
    applyPolicies(stack, { production: false });
    // WHEN
    const [result] = checkPolicies(app);
    // THEN
    expect(result.status['KP-AWS-006']).toBe('FAIL');
    const annotations = stack.node
      .findChild('images')
      .node.metadata.filter((m) => m.type.startsWith('@cdktf/'))
      .map((m) => [m.type, m.data]);
    expect(annotations).toEqual([['@cdktf/warn', 'KP-AWS-006 [CKV_AWS_51]: image_tag_mutability is "MUTABLE", must be "IMMUTABLE"']]);
  });

  test('checking twice (checkPolicies, then synth) reports each violation once', () => {
    const app = synthApp();
    const stack = new TerraformStack(app, 'dev');
    insecure(stack);
    applyPolicies(stack, { production: false });
    checkPolicies(app);
    app.synth();
    expect(stack.node.findChild('key').node.metadata.filter((m) => m.type === '@cdktf/warn')).toHaveLength(1);
    expect(evaluatePolicies(app)[0].violations).toHaveLength(2);
  });
});

describe('policy waivers', () => {
  const waiver = { rule: 'KP-AWS-006', reason: 'Mirror repository, tags are overwritten by the vendor sync job' };

  test('a waiver with a reason turns a production violation into "waived" and the report shows the reason', () => {
    // GIVEN
    const app = Testing.app() as App;
    const stack = new TerraformStack(app, 'prod');
    new EcrRepository(stack, 'images', {
      name: 'kong',
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS' }],
    });
    applyPolicies(stack, { production: true, waivers: [waiver] });
    // WHEN
    const results = checkPolicies(app);
    // THEN
    expect(results[0].status['KP-AWS-006']).toBe('waived');
    const report = policyReport(results);
    expect(report).toContain('| KP-AWS-006 | CKV_AWS_51 | ECR tags immutable | waived |');
    expect(report).toContain(`| prod | KP-AWS-006 | applied | - | ${waiver.reason} |`);
  });

  test('an expired waiver no longer applies', () => {
    const result = checkStack(insecure, { production: false, waivers: [{ ...waiver, expires: '2020-01-31' }], today: new Date('2026-01-01') });
    expect(result.status['KP-AWS-006']).toBe('FAIL');
    expect(result.waivers.map((w) => w.state)).toEqual(['expired']);
  });

  test('the environment file refuses a waiver without a real reason or for an unknown rule', () => {
    // WHEN
    const found = problems(
      rawEnvironment({
        policy: {
          waivers: [
            { rule: 'KP-AWS-006', reason: 'because' },
            { rule: 'KP-NOPE-001', reason: 'a long enough reason for the test' },
          ],
        },
      }),
    );
    // THEN
    expect(found).toContain('test-env.yaml: policy.waivers.0.reason: must explain in at least 20 characters why the exception is acceptable, got "because"');
    expect(found).toContain('test-env.yaml: policy.waivers.1.rule: must be a guardrail rule id such as KP-AWS-001 (see docs/policy.md), got "KP-NOPE-001"');
  });

  test('the environment file accepts a waiver with reason and expiry and the stacks apply it', () => {
    const env = environment({ policy: { waivers: [{ rule: 'KP-MESH-002', reason: 'Rollout: workloads are joining the mesh this quarter', expires: '2999-12-31' }] } });
    expect(env.policy.waivers).toEqual([{ rule: 'KP-MESH-002', reason: 'Rollout: workloads are joining the mesh this quarter', expires: '2999-12-31' }]);
  });

  test('library use: a waiver with a short reason is refused at construct time, naming the stack', () => {
    const app = Testing.app() as App;
    const stack = new TerraformStack(app, 'lib');
    expect(() => applyPolicies(stack, { production: true, waivers: [{ rule: 'KP-AWS-006', reason: 'n/a' }] })).toThrow(
      'lib: waiver for KP-AWS-006 needs a written reason of at least 20 characters, got "n/a"',
    );
  });
});

describe('npm run policy and docs/policy.md', () => {
  test('the report over the samples has a rules x stacks matrix, the waiver reasons, and exit code 0', () => {
    // GIVEN the repository root as working directory (the script reads environments/ there)
    const cwd = process.cwd();
    process.chdir(REPO_ROOT);
    try {
      // WHEN
      const { output, exitCode } = runPolicyReport([]);
      // THEN
      expect(exitCode).toBe(0);
      expect(output).toMatch(
        /^\| Rule \| Checkov \| Title \| aws-dev-state \| aws-dev-cluster \| aws-dev-platform \| azure-prod-state \(prod\) \| azure-prod-cluster \(prod\) \| azure-prod-platform \(prod\) \| onprem-hybrid-platform \|/m,
      );
      expect(output).toMatch(/^\| KP-K8S-007 \| CKV_K8S_43, CKV_K8S_14 \| Images pinned by digest \| n\/a \| n\/a \| pass \| n\/a \| n\/a \| pass \| pass \|/m);
      expect(output).toMatch(/^\| KP-KONG-007 \| - \| Kong releases highly available \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| pass \| n\/a \|/m);
      expect(output).toContain('| onprem-hybrid-platform | KP-MESH-002 | applied | - | Mesh rollout on-premises');
    } finally {
      process.chdir(cwd);
    }
  });

  test('docs/policy.md is generated from the rules (npm run policy -- --write-docs)', () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'policy.md'), 'utf8')).toBe(policyDocument());
  });
});

describe('mesh guardrails through an environment file', () => {
  /** The onprem-hybrid sample as a production file (remote state, STRICT mTLS), with `edit` applied to its text. */
  const productionMesh = (edit: (text: string) => string) => {
    const text = fs
      .readFileSync(path.join(REPO_ROOT, 'environments', 'onprem-hybrid.yaml'), 'utf8')
      .replace('production: false', 'production: true')
      .replace('backend:\n  type: local', 'backend:\n  type: s3\n  bucket: kong-onprem-state\n  region: eu-west-1')
      .replace('mode: PERMISSIVE', 'mode: STRICT');
    const parsed = parseEnvironmentText(edit(text), 'onprem-hybrid.yaml', { pluginsDirectory: PLUGINS_DIR });
    if (!parsed.environment) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    const app = Testing.app() as App;
    addEnvironmentStacks(app, parsed.environment, { pluginsDirectory: PLUGINS_DIR });
    return evaluatePolicies(app).flatMap((r) => r.violations.filter((v) => !v.waiver).map((v) => v.rule.id));
  };

  test('GIVEN the production file as it is THEN no mesh rule fails', () => {
    expect(productionMesh((t) => t).filter((id) => id.startsWith('KP-MESH-'))).toEqual([]);
  });

  test('GIVEN mesh.cni.enabled: false in production THEN KP-MESH-004', () => {
    expect(productionMesh((t) => t.replace('  cni:\n    confName: 10-calico.conflist', '  cni:\n    enabled: false'))).toContain('KP-MESH-004');
  });
});
