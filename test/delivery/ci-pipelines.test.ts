import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, parseDocument } from 'yaml';

// Both pipelines are plain YAML that no CI runs here: these tests parse them and check the structure the
// issue asks for (stages, one plan job per stack, guarded apply, pinned and keyless supply chain).

const ROOT = join(__dirname, '..', '..');
const GITLAB_FILE = join(ROOT, '.gitlab-ci.yml');
const GITHUB_INFRA_FILE = join(ROOT, '.github', 'workflows', 'infrastructure.yml');
const GITHUB_IMAGES_FILE = join(ROOT, '.github', 'workflows', 'images.yml');
const GITHUB_STAGE_FILE = join(ROOT, '.github', 'workflows', 'stage.yml');

type Job = Record<string, any>;

function loadYaml(file: string): Record<string, any> {
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS();
}

/** environments/*.yaml: name, cloud and state backend type (local when the file has none). */
function environments(): Array<{ name: string; cloud: string; backend: string }> {
  return readdirSync(join(ROOT, 'environments'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const doc = parse(readFileSync(join(ROOT, 'environments', f), 'utf8'));
      return { name: f.replace(/\.yaml$/, ''), cloud: doc.cloud, backend: doc.backend?.type ?? 'local' };
    });
}
/** The environments CI may plan and apply: those with a remote state backend. */
function ciEnvironments(): string[] {
  return environments()
    .filter((e) => e.backend !== 'local')
    .map((e) => e.name)
    .sort();
}
/** The stacks the pipelines plan, as declared once in .gitlab-ci.yml (PLANNED_STACKS). */
function plannedStacks(): string[] {
  return String(loadYaml(GITLAB_FILE).variables.PLANNED_STACKS).split(' ').sort();
}
/** `<env>/<stack>` for every planned stack, attributed to the environment whose name prefixes it. */
function plannedPairs(): string[] {
  const envs = environments()
    .map((e) => e.name)
    .sort((a, b) => b.length - a.length);
  return plannedStacks()
    .map((stack) => `${envs.find((e) => stack.startsWith(`${e}-`)) ?? '?'}/${stack}`)
    .sort();
}
/** Runs a pipeline shell snippet in a folder holding the given synthesized stacks. */
function runSynthGuard(snippet: string, synthesized: string[], planned: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'synth-guard-'));
  for (const stack of synthesized) mkdirSync(join(dir, 'cdktf.out', 'stacks', stack), { recursive: true });
  return spawnSync('sh', ['-c', snippet], { cwd: dir, env: { PATH: process.env.PATH, PLANNED_STACKS: planned } }).status ?? -1;
}

describe('GitLab .gitlab-ci.yml', () => {
  const ci = loadYaml(GITLAB_FILE);
  const jobs: Record<string, Job> = Object.fromEntries(
    Object.entries(ci).filter(([name, v]) => !['workflow', 'stages', 'variables', 'default', 'include'].includes(name) && typeof v === 'object' && v !== null),
  );
  const realJobs = Object.fromEntries(Object.entries(jobs).filter(([name]) => !name.startsWith('.')));
  /** A job with its `extends` chain merged (shallow, as GitLab does per top-level key). */
  const resolved = (name: string): Job => {
    const job = jobs[name];
    const parents = ([] as string[]).concat(job.extends ?? []);
    return Object.assign({}, ...parents.map(resolved), job);
  };

  test('declares the delivery stages in order: validate, then bootstrap, plan, apply, verify per environment', () => {
    // THEN
    expect(ci.stages.slice(0, 10)).toEqual(['install', 'lint', 'test', 'synth', 'validate', 'bootstrap', 'plan', 'apply', 'verify', 'destroy']);
    expect(ci.stages).toEqual(expect.arrayContaining(['image-build', 'image-scan', 'image-publish']));
  });

  test.each(['install', 'lint', 'test', 'synth', 'validate'])('has the %s job in its stage', (name) => {
    // THEN
    expect(resolved(name).stage).toBe(name);
  });

  test('every job runs in a declared stage', () => {
    // THEN
    for (const name of Object.keys(realJobs)) expect(ci.stages).toContain(resolved(name).stage);
  });

  test('every needs and extends names an existing job', () => {
    // WHEN
    const references = Object.values(jobs).flatMap((job) => [
      ...([] as string[]).concat(job.extends ?? []),
      ...(job.needs ?? []).map((n: string | { job: string }) => (typeof n === 'string' ? n : n.job)),
    ]);
    // THEN
    for (const ref of references) expect(Object.keys(jobs)).toContain(ref);
  });

  /** `<env>:<stage>:<plan|apply>` jobs, as `<env>/<env>-<stage>`. */
  const stageJobs = (kind: 'plan' | 'apply') =>
    Object.keys(realJobs)
      .map((n) => new RegExp(`^(.+):(state|cluster|platform):${kind}$`).exec(n))
      .filter((m): m is RegExpExecArray => m !== null);

  test('every planned stack has exactly one plan job and one apply job (<env>:<stage>:plan / :apply)', () => {
    // THEN
    for (const kind of ['plan', 'apply'] as const) {
      expect(
        stageJobs(kind)
          .map(([, env, stage]) => `${env}/${env}-${stage}`)
          .sort(),
      ).toEqual(plannedPairs());
    }
  });

  test.each(ciEnvironments())('%s: the stages run in order, each plan after the previous apply, verify after the last', (env) => {
    // GIVEN the environment's stages in delivery order
    const order = ['state', 'cluster', 'platform'].filter((stage) => plannedStacks().includes(`${env}-${stage}`));
    expect(order[order.length - 1]).toBe('platform');
    // THEN each plan needs the apply before it (the first one: synth), each apply its own plan
    order.forEach((stage, i) => {
      // The first plan: after the read-only check that the state storage exists (bootstrapped).
      const previous = i === 0 ? `${env}:bootstrapped` : `${env}:${order[i - 1]}:apply`;
      expect(resolved(`${env}:${stage}:plan`).needs).toEqual(['synth', previous].filter((v, j, a) => a.indexOf(v) === j));
      expect(resolved(`${env}:${stage}:apply`).needs).toEqual(['synth', `${env}:${stage}:plan`]);
      expect(resolved(`${env}:${stage}:plan`).variables).toEqual({ ENVIRONMENT: env, STAGE: stage });
      expect(resolved(`${env}:${stage}:apply`).variables).toEqual({ ENVIRONMENT: env, STAGE: stage });
    });
    // AND verify runs the no-change check after the last apply
    expect(resolved(`${env}:verify`).needs).toEqual(['synth', `${env}:platform:apply`]);
    expect(resolved(`${env}:verify`).script).toEqual(['$DELIVER check "$ENVIRONMENT" --read-only']);
    expect(resolved(`${env}:bootstrap`).script).toEqual(['$DELIVER bootstrap "$ENVIRONMENT"']);
    expect(resolved(`${env}:bootstrapped`).script).toEqual(['$DELIVER bootstrapped "$ENVIRONMENT"']);
    expect(resolved(`${env}:bootstrapped`).environment.name).toBe('plan/$ENVIRONMENT');
  });

  test('every environment file with a remote backend has its platform stack planned, none with a local backend', () => {
    // WHEN
    const planned = plannedStacks();
    // THEN
    expect(ciEnvironments().length).toBeGreaterThan(0);
    for (const env of environments()) {
      if (env.backend === 'local') expect(planned.filter((s) => s.startsWith(`${env.name}-`))).toEqual([]);
      else expect(planned).toContain(`${env.name}-platform`);
      if (env.cloud === 'hybrid') expect(planned).not.toContain(`${env.name}-cluster`);
    }
    expect(plannedPairs().filter((p) => p.startsWith('?/'))).toEqual([]);
    expect(String(ci.variables.CI_ENVIRONMENTS).split(' ').sort()).toEqual(ciEnvironments());
  });

  test('synth synthesizes CI_ENVIRONMENTS only and refuses a local backend before the stack comparison', () => {
    // WHEN
    const script: string[] = resolved('synth').script;
    const guard = script.findIndex((l) => l === 'node dist/scripts/ci-backend-guard.js $CI_ENVIRONMENTS');
    // THEN
    expect(script[0]).toBe("npm run synth -- --env \"$(echo $CI_ENVIRONMENTS | tr ' ' ',')\"");
    expect(guard).toBeGreaterThan(0);
    expect(guard).toBeLessThan(script.findIndex((l) => l.includes('PLANNED_STACKS')));
  });

  test('every Terraform job refuses a local backend of its environment before deliver runs', () => {
    // WHEN
    const before: string[] = resolved('.terraform-job').before_script;
    // THEN every stage, bootstrap, verify, drift and destroy job runs through it
    expect(before[before.length - 1]).toBe('node dist/scripts/ci-backend-guard.js "$ENVIRONMENT"');
    const deliverJobs = Object.keys(realJobs).filter((n) => /:(plan|apply|bootstrap|bootstrapped|verify)$/.test(n) || /^(plan:mr|drift|destroy)(:|$)/.test(n));
    expect(deliverJobs.length).toBeGreaterThan(10);
    for (const name of deliverJobs) {
      expect(resolved(name).before_script).toBe(before);
      expect(resolved(name).script.join('\n')).not.toMatch(/\bterraform (init|plan|apply|destroy)/);
      expect(resolved(name).script.join('\n')).toContain('$DELIVER ');
    }
    expect(resolved('.deliver').variables.DELIVER).toBe('node dist/scripts/deliver.js');
  });

  test('synth fails when the synthesized stacks differ from the planned ones', () => {
    // GIVEN the guard as the synth job runs it
    const guard = resolved('synth').script.find((line: string) => line.includes('PLANNED_STACKS'));
    // WHEN / THEN
    expect(runSynthGuard(guard, ['b-platform', 'a-platform'], 'a-platform b-platform')).toBe(0);
    expect(runSynthGuard(guard, ['a-platform', 'a-cluster', 'b-platform'], 'a-platform b-platform')).toBe(1);
    expect(runSynthGuard(guard, ['a-platform'], 'a-platform b-platform')).toBe(1);
  });

  test('default-branch plan and apply jobs run deliver.ts for their stage; plans keep no lock with the read-only identity', () => {
    // THEN
    expect(resolved('.stage-plan').script).toEqual(['$DELIVER plan "$ENVIRONMENT" "$STAGE" --no-lock --encrypt-plan']);
    expect(resolved('.stage-plan').environment).toEqual({ name: 'plan/$ENVIRONMENT', action: 'prepare' });
    expect(resolved('.stage-apply').script).toEqual(['apk add --no-cache cosign >/dev/null', '$DELIVER apply "$ENVIRONMENT" "$STAGE"']);
  });

  test("apply verifies image signatures against the image pipeline's own signer, in both CI systems", () => {
    // THEN GitLab: keyless identity of the publish job (.gitlab-ci.yml on the default branch), as image:publish verifies it
    expect(resolved('.stage-apply').variables).toEqual({
      COSIGN_CERTIFICATE_IDENTITY: '${CI_PROJECT_URL}//.gitlab-ci.yml@refs/heads/${CI_DEFAULT_BRANCH}',
      COSIGN_CERTIFICATE_OIDC_ISSUER: '${CI_SERVER_URL}',
    });
    expect(readFileSync(GITLAB_FILE, 'utf8')).toContain('cosign verify "$ref@$digest" --certificate-identity "${CI_PROJECT_URL}//.gitlab-ci.yml@refs/heads/${CI_DEFAULT_BRANCH}"');
    // AND GitHub: images.yml on main, cosign installed for apply
    const deliver = loadYaml(GITHUB_STAGE_FILE).jobs.deliver;
    expect(deliver.env.COSIGN_CERTIFICATE_IDENTITY).toBe('${{ github.server_url }}/${{ github.repository }}/.github/workflows/images.yml@refs/heads/main');
    expect(deliver.env.COSIGN_CERTIFICATE_OIDC_ISSUER).toBe('https://token.actions.githubusercontent.com');
    expect(deliver.steps).toContainEqual(
      expect.objectContaining({ uses: expect.stringMatching(/^sigstore\/cosign-installer@[0-9a-f]{40}$/), if: "${{ inputs.mode == 'apply' }}" }),
    );
  });

  test('merge requests plan every stage read-only, without apply-time secrets, keeping only the summaries', () => {
    // WHEN
    const mr = resolved('plan:mr');
    const script = mr.script.join('\n');
    // THEN
    expect(mr.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(mr.environment.name).toBe('plan/$ENVIRONMENT');
    const ownJobs = Object.keys(realJobs).filter((n) => n.startsWith('plan:mr:'));
    expect([...mr.parallel.matrix[0].ENVIRONMENT, ...ownJobs.map((n) => resolved(n).variables.ENVIRONMENT)].sort()).toEqual(ciEnvironments());
    for (const name of ownJobs) expect(resolved(name).script).toEqual(mr.script);
    expect(script).toContain('unset KONNECT_TOKEN TF_VAR_konnect_token');
    expect(script).toContain('for stage in $($DELIVER stages "$ENVIRONMENT"); do $DELIVER plan "$ENVIRONMENT" "$stage" --read-only; done');
    expect(mr.artifacts.paths.join(' ')).not.toMatch(/plan\.tfplan|plan\.json/);
    for (const name of Object.keys(realJobs).filter((n) => n.endsWith(':plan') || n.endsWith(':apply'))) {
      expect(resolved(name).rules.every((r: Job) => r.if === '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH')).toBe(true);
    }
  });

  test('the stage plan job publishes its plan for the apply job only encrypted (developers only) and the Terraform report for the MR widget', () => {
    // WHEN
    const artifacts = resolved('.stage-plan').artifacts;
    // THEN
    expect(artifacts.paths).toEqual(
      expect.arrayContaining([
        'cdktf.out/stacks/$ENVIRONMENT-$STAGE/plan.json.enc',
        'cdktf.out/stacks/$ENVIRONMENT-$STAGE/plan-summary.md',
        'cdktf.out/stacks/$ENVIRONMENT-$STAGE/plan.tfplan.enc',
      ]),
    );
    // the clear-text plan and its JSON (sensitive values) never leave the job
    expect(artifacts.paths.filter((p: string) => /plan\.(tfplan|json)$/.test(p))).toEqual([]);
    expect(artifacts.reports.terraform).toBe('cdktf.out/stacks/$ENVIRONMENT-$STAGE/plan-report.json');
    expect(artifacts.access).toBe('developer');
  });

  test('every apply (the gate) runs only on the default branch, started by hand, blocking the pipeline until it ran', () => {
    // THEN
    for (const [, env, stage] of stageJobs('apply')) {
      const apply = resolved(`${env}:${stage}:apply`);
      expect(apply.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
      expect(apply.allow_failure).toBe(false);
      expect(apply.environment).toEqual({ name: '$ENVIRONMENT', action: 'start' });
      expect(apply.resource_group).toBe('terraform-$ENVIRONMENT');
    }
  });

  test('fmt/validate and the IaC scan check the synthesized JSON before anything is planned', () => {
    // THEN
    const validate = resolved('validate').script.join('\n');
    expect(validate).toContain('fmt -check -recursive');
    expect(validate).toContain('init -backend=false');
    expect(validate).toContain('validate -no-color');
    expect(resolved('iac-scan').script.join('\n')).toMatch(/checkov --directory cdktf\.out\/stacks --framework terraform_json --config-file \.checkov\.yaml/);
    expect(readdirSync(ROOT)).toContain('.checkov.yaml');
  });

  test('every job that reaches a private cluster API runs on the runner inside its network, in both CI systems', () => {
    // GIVEN the environments whose synthesized cluster stack has a private API (deliver.ts refuses their platform stage elsewhere)
    const { privateEndpoints } = require('../../scripts/deliver');
    const { sampleSynth } = require('../support/sample-synth');
    const github = loadYaml(GITHUB_INFRA_FILE);
    const privateEnvs = ciEnvironments().filter((env) => privateEndpoints(env, join(sampleSynth(env).outdir, 'stacks')).some((e: string) => !e.includes('ACR')));
    expect(privateEnvs).toEqual(['azure-prod']);
    for (const env of privateEnvs) {
      const tag = `kong-${env}`;
      // THEN GitLab: the platform stage, verify, merge-request plan, drift and destroy jobs of env carry its runner tag
      for (const name of [`${env}:platform:plan`, `${env}:platform:apply`, `${env}:verify`, `plan:mr:${env}`, `drift:${env}`, `destroy:${env}`]) {
        expect([name, resolved(name).tags]).toEqual([name, [tag]]);
      }
      expect(resolved(`drift:${env}`).variables.ENVIRONMENT).toBe(env);
      expect(resolved(`destroy:${env}`).rules[0].if).toContain(`$DESTROY_ENVIRONMENT == "${env}"`);
      expect(resolved('destroy').rules[0].if).toContain(`$DESTROY_ENVIRONMENT != "${env}"`);
      expect(resolved('drift').parallel.matrix[0].ENVIRONMENT).not.toContain(env);
      // AND GitHub: the same jobs on the self-hosted runner labelled kong-<env>
      const runner = `["self-hosted", "${tag}"]`;
      for (const job of [`${env}-platform-plan`, `${env}-platform-apply`, `${env}-verify`]) expect([job, github.jobs[job].with['runs-on']]).toEqual([job, runner]);
      for (const job of ['plan-pr', 'drift']) {
        expect(github.jobs[job].with['runs-on']).toBe('${{ matrix.runs-on }}');
        expect(github.jobs[job].strategy.matrix.include).toContainEqual({ environment: env, 'runs-on': runner });
      }
      expect(github.jobs.destroy.with['runs-on']).toBe(`\${{ inputs.destroy_environment == '${env}' && '${runner}' || '"ubuntu-24.04"' }}`);
    }
  });

  test('drift detection runs on a schedule, read-only; destroy is manual, protected and stops the environment', () => {
    // THEN
    expect(resolved('drift').rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule" && $DRIFT_CHECK == "true"' }]);
    expect(resolved('drift').script).toEqual(['$DELIVER check "$ENVIRONMENT" --read-only']);
    const destroy = resolved('destroy');
    expect(destroy.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $DESTROY_ENVIRONMENT && $DESTROY_ENVIRONMENT != "azure-prod"', when: 'manual' }]);
    expect(destroy.environment).toEqual({ name: '$DESTROY_ENVIRONMENT', action: 'stop' });
    expect(destroy.script).toEqual(['$DELIVER destroy "$ENVIRONMENT"']);
  });

  test('AKS: the federated az login comes before anything runs kubelogin', () => {
    // WHEN
    const before = resolved('.terraform-job').before_script.join('\n');
    // THEN
    expect(before).toMatch(/az login --service-principal --username "\$ARM_CLIENT_ID" --tenant "\$ARM_TENANT_ID" --federated-token "\$AZURE_ID_TOKEN"/);
    expect(before.indexOf('az login')).toBeLessThan(before.indexOf('ci-backend-guard'));
    expect(String(ci.variables.AZURE_CLI_VERSION)).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('Terraform jobs get cloud credentials from OIDC ID tokens, never from static keys', () => {
    // WHEN
    const plan = resolved('aws-dev:cluster:plan');
    const text = readFileSync(GITLAB_FILE, 'utf8');
    // THEN
    expect(plan.id_tokens.AWS_ID_TOKEN.aud).toBe('sts.amazonaws.com');
    expect(plan.before_script.join('\n')).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|ARM_CLIENT_SECRET|AKIA[0-9A-Z]{16}/);
  });

  test('the image stage builds with buildah, fails on HIGH/CRITICAL, signs with cosign and records the digest', () => {
    // WHEN
    const build = resolved('image:build').script.join('\n');
    const scan = resolved('image:scan').script.join('\n');
    const publish = resolved('image:publish').script.join('\n');
    const record = resolved('image:record').script.join('\n');
    // THEN
    expect(build).toContain('buildah build');
    expect(scan).toMatch(/trivy image .*--exit-code 1 --severity HIGH,CRITICAL/);
    expect(publish).toContain('skopeo copy --digestfile');
    expect(publish).toContain('cosign sign --yes');
    expect(record).toContain('dist/scripts/record-image-digest.js');
    // SBOM attached as a signed attestation, and the signature verified before the digest is proposed for deploy
    expect(resolved('image:sbom').script.join('\n')).toMatch(/syft scan "oci-archive:dist-images\/\$COMPONENT\.tar" --output "spdx-json=/);
    expect(resolved('image:publish').needs).toContain('image:sbom');
    expect(publish).toMatch(/cosign attest --yes .*--type spdxjson --predicate "dist-images\/\$COMPONENT\.spdx\.json"/);
    expect(publish.lastIndexOf('cosign verify')).toBeGreaterThan(publish.lastIndexOf('cosign sign'));
  });

  test('images are published only from the default branch', () => {
    // WHEN
    const rules: Array<{ if: string }> = resolved('image:publish').rules;
    // THEN
    for (const rule of rules) expect(rule.if).toContain('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
  });

  test('every container image is pinned to a version, none to latest', () => {
    // WHEN
    const images = Object.entries(ci.variables as Record<string, string>)
      .filter(([k]) => k.endsWith('_IMAGE'))
      .map(([, v]) => v);
    // THEN
    expect(images.length).toBeGreaterThan(3);
    for (const image of images) expect(image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
  });
});

describe('GitHub workflows', () => {
  const infra = loadYaml(GITHUB_INFRA_FILE);
  const images = loadYaml(GITHUB_IMAGES_FILE);
  const stage = loadYaml(GITHUB_STAGE_FILE);
  const workflows: Array<[string, Record<string, any>]> = [
    ['infrastructure', infra],
    ['images', images],
    ['stage', stage],
  ];
  const fileOf = (name: string) => ({ images: GITHUB_IMAGES_FILE, stage: GITHUB_STAGE_FILE })[name] ?? GITHUB_INFRA_FILE;
  const deliverStep = () => stage.jobs.deliver.steps.find((s: Job) => s.name === 'deliver').run as string;
  /** `<env>-<stage>-<plan|apply>` caller jobs of stage.yml, as `<env>/<env>-<stage>`. */
  const stageCallers = (kind: 'plan' | 'apply') =>
    Object.entries(infra.jobs as Record<string, Job>).filter(([, j]) => j.uses === './.github/workflows/stage.yml' && j.with?.mode === kind && j.with?.stage);

  test('infrastructure has the same stages as GitLab: lint, test (each installs), synth, validate, plan-pr, the stage sequence, drift, destroy', () => {
    // THEN
    expect(Object.keys(infra.jobs)).toEqual(expect.arrayContaining(['lint', 'test', 'synth', 'validate', 'plan-pr', 'plan-comment', 'drift', 'destroy']));
    const stepNames = (job: string) => infra.jobs[job].steps.map((s: Job) => s.name);
    expect(stepNames('lint')).toEqual(expect.arrayContaining(['install', 'lint']));
    expect(stepNames('test')).toEqual(expect.arrayContaining(['install', 'test']));
    expect(infra.jobs.synth.needs).toEqual(['lint', 'test']);
    const validate = infra.jobs.validate.steps.map((s: Job) => s.run ?? '').join('\n');
    expect(validate).toContain('fmt -check -recursive');
    expect(validate).toMatch(/checkov"? --directory cdktf\.out\/stacks --framework terraform_json --config-file \.checkov\.yaml/);
    expect(infra.on.schedule).toEqual([{ cron: expect.any(String) }]);
    expect(infra.jobs.drift.with.mode).toBe('check');
    expect(infra.jobs.destroy.if).toContain("github.event_name == 'workflow_dispatch'");
    expect(infra.jobs.destroy.with.mode).toBe('destroy');
  });

  test('pull requests plan every stage read-only; the stage sequence runs only on pushes to main', () => {
    // THEN
    expect(infra.on).toHaveProperty('pull_request');
    expect(infra.on.push.branches).toEqual(['main']);
    expect(infra.jobs['plan-pr'].if).toBe("${{ github.event_name == 'pull_request' }}");
    expect(infra.jobs['plan-pr'].with.mode).toBe('plan-read-only');
    // The sequence starts at each environment's read-only bootstrapped check, on pushes to main only.
    for (const [name, job] of stageCallers('plan')) {
      if (job.with.stage === 'state') {
        const [first] = job.needs as string[];
        expect([name, job.needs, infra.jobs[first].with.mode, infra.jobs[first].if]).toEqual([
          name,
          [first],
          'bootstrapped',
          "${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}",
        ]);
      }
    }
    // read-only: no plan file kept, no encryption key, only summaries uploaded
    expect(deliverStep()).toContain('unset PLAN_ENCRYPTION_KEY');
    expect(deliverStep()).toContain('$deliver plan "$ENVIRONMENT" "$stage" --read-only');
  });

  test('a new environment is bootstrapped by hand from main, behind its environment, through deliver.ts', () => {
    // THEN
    const job = infra.jobs.bootstrap;
    expect(job.if).toBe("${{ github.event_name == 'workflow_dispatch' && inputs.bootstrap_environment != '' && github.ref == 'refs/heads/main' }}");
    expect(job.with).toEqual({ environment: '${{ inputs.bootstrap_environment }}', mode: 'bootstrap' });
    expect(infra.on.workflow_dispatch.inputs.bootstrap_environment.options).toEqual(['', ...ciEnvironments()]);
    expect(deliverStep()).toContain('bootstrap) $deliver bootstrap "$ENVIRONMENT" ;;');
    expect(deliverStep()).toContain('bootstrapped) $deliver bootstrapped "$ENVIRONMENT" ;;');
  });

  test('the stage jobs and PLANNED_STACKS equal the GitLab ones', () => {
    // THEN
    for (const kind of ['plan', 'apply'] as const) {
      expect(
        stageCallers(kind)
          .map(([, j]) => `${j.with.environment}/${j.with.environment}-${j.with.stage}`)
          .sort(),
      ).toEqual(plannedPairs());
    }
    expect(String(infra.env.PLANNED_STACKS).split(' ').sort()).toEqual(plannedStacks());
  });

  test('synth fails when the synthesized stacks differ from the planned ones', () => {
    // GIVEN the synth step without `npm run synth` itself
    const step = infra.jobs.synth.steps
      .find((s: Job) => s.name === 'synth')
      .run.split('\n')
      .filter((l: string) => !/^(npm run synth|node dist\/scripts\/ci-backend-guard\.js)/.test(l.trim()))
      .join('\n');
    // WHEN / THEN
    expect(runSynthGuard(step, ['a-platform', 'b-platform'], 'a-platform b-platform')).toBe(0);
    expect(runSynthGuard(step, ['a-platform', 'c-platform'], 'a-platform b-platform')).toBe(1);
  });

  test("the GitHub sequence has the same order and needs as GitLab's, environment by environment", () => {
    // GIVEN GitLab's needs translated to GitHub job names (aws-dev:state:plan -> aws-dev-state-plan)
    const gitlab = loadYaml(GITLAB_FILE);
    const toGithub = (n: string) => n.replace(/:/g, '-');
    // THEN
    for (const env of ciEnvironments()) {
      for (const name of Object.keys(gitlab).filter((n) => n.startsWith(`${env}:`) && !n.endsWith(':bootstrap'))) {
        const needs: string[] = gitlab[name].needs;
        expect([name, infra.jobs[toGithub(name)].needs]).toEqual([name, needs.filter((n) => n !== 'synth' || needs.length === 1).map(toGithub)]);
      }
    }
  });

  test('apply runs behind the GitHub environment <env> (the gate), plans behind plan-<env>, one write at a time', () => {
    // WHEN
    const job = stage.jobs.deliver;
    // THEN
    expect(job.environment).toBe(
      "${{ (inputs.mode == 'apply' || inputs.mode == 'destroy' || inputs.mode == 'bootstrap') && inputs.environment || format('plan-{0}', inputs.environment) }}",
    );
    expect(job.concurrency['cancel-in-progress']).toBe(false);
    expect(deliverStep()).toContain('apply) $deliver apply "$ENVIRONMENT" "$STAGE" ;;');
    expect(deliverStep()).toContain('plan) $deliver plan "$ENVIRONMENT" "$STAGE" --no-lock --encrypt-plan ;;');
    expect(deliverStep()).toContain('check) $deliver check "$ENVIRONMENT" --read-only ;;');
  });

  test('saved plans leave the job only encrypted; the Konnect token reaches Terraform as TF_VAR_konnect_token', () => {
    // WHEN
    const upload = stage.jobs.deliver.steps.find((s: Job) => s.name === 'keep the encrypted plan for the apply job');
    // THEN
    expect(
      upload.with.path
        .trim()
        .split('\n')
        .map((l: string) => l.trim()),
    ).toEqual([
      'cdktf.out/stacks/${{ inputs.environment }}-${{ inputs.stage }}/plan.tfplan.enc',
      'cdktf.out/stacks/${{ inputs.environment }}-${{ inputs.stage }}/plan.json.enc',
      'cdktf.out/stacks/${{ inputs.environment }}-${{ inputs.stage }}/plan-summary.md',
      'cdktf.out/stacks/${{ inputs.environment }}-${{ inputs.stage }}/plan-report.json',
    ]);
    expect(stage.jobs.deliver.env.TF_VAR_konnect_token).toBe('${{ secrets.KONNECT_TOKEN }}');
    expect(stage.jobs.deliver.env.PLAN_ENCRYPTION_KEY).toBe('${{ secrets.PLAN_ENCRYPTION_KEY }}');
  });

  test('AKS: a federated az login precedes deliver (kubelogin azurecli mode reuses it)', () => {
    // WHEN
    const names: string[] = stage.jobs.deliver.steps.map((s: Job) => s.name ?? s.uses);
    const login = stage.jobs.deliver.steps.find((s: Job) => s.name?.startsWith('Azure CLI login'));
    // THEN
    expect(login.run).toContain('az login --service-principal --username "$ARM_CLIENT_ID" --tenant "$ARM_TENANT_ID" --federated-token "$token"');
    expect(names.indexOf(login.name)).toBeLessThan(names.indexOf('deliver'));
  });

  test('the plan summary goes to the job summary and to the pull request', () => {
    // WHEN
    const commentScript = infra.jobs['plan-comment'].steps.map((s: Job) => s.run ?? '').join('\n');
    // THEN
    expect(deliverStep()).toContain('cat "$summary" >> "$GITHUB_STEP_SUMMARY"');
    expect(commentScript).toContain('gh pr comment');
  });

  test.each(workflows)('%s: no permission by default, each job asks for its own', (_name, wf) => {
    // THEN
    expect(wf.permissions).toEqual({});
    for (const job of Object.values(wf.jobs) as Job[]) expect(job.permissions).toBeDefined();
  });

  test.each(workflows)('%s: write permissions only where needed', (_name, wf) => {
    // WHEN
    const writes = Object.entries(wf.jobs as Record<string, Job>).flatMap(([job, j]) =>
      Object.entries(j.permissions as Record<string, string>)
        .filter(([, v]) => v === 'write')
        .map(([scope]) => `${job}:${scope}`),
    );
    // THEN
    const allowed = ['deliver:id-token', 'plan-comment:pull-requests', 'publish:id-token', 'record:contents', 'record:pull-requests'];
    const callers = Object.entries(wf.jobs as Record<string, Job>)
      .filter(([, j]) => j.uses === './.github/workflows/stage.yml')
      .map(([n]) => `${n}:id-token`);
    for (const write of writes) expect([...allowed, ...callers]).toContain(write);
  });

  test('OIDC id-token is granted to the cloud-facing jobs', () => {
    // THEN
    expect(stage.jobs.deliver.permissions['id-token']).toBe('write');
    for (const [, job] of [...stageCallers('plan'), ...stageCallers('apply')]) expect(job.permissions['id-token']).toBe('write');
    expect(images.jobs.publish.permissions['id-token']).toBe('write');
  });

  test.each(workflows)('%s: every action is pinned by full commit SHA with its version noted', (name, wf) => {
    // WHEN
    const file = fileOf(name);
    // Local reusable workflows (./.github/workflows/...) are this repository's own files.
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^\s*(- )?uses:/.test(l) && !l.includes('./.github/workflows/'));
    const uses = (Object.values(wf.jobs) as Job[]).flatMap((j) => (j.steps ?? []).map((s: Job) => s.uses).filter(Boolean));
    // THEN
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    for (const line of lines) expect(line).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  test.each(workflows)('%s: no secret value inline, secrets only through the secrets context', (name) => {
    // WHEN
    const text = readFileSync(fileOf(name), 'utf8');
    // THEN
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|-----BEGIN|ghp_[A-Za-z0-9]{20,}|AWS_SECRET_ACCESS_KEY|ARM_CLIENT_SECRET/);
    const literalSecretSettings = [...text.matchAll(/^\s*([A-Z_]*(TOKEN|PASSWORD|SECRET)[A-Z_]*):\s*(.+)$/gm)].filter(([, , , value]) => !value.trim().startsWith('${{'));
    expect(literalSecretSettings).toEqual([]);
  });

  test.each(workflows)('%s: no latest tags, runners pinned to an OS version', (name, wf) => {
    // WHEN
    const text = readFileSync(fileOf(name), 'utf8');
    // THEN
    expect(text).not.toMatch(/:latest\b|ubuntu-latest/);
    for (const job of Object.values(wf.jobs) as Job[]) {
      if (job.uses) continue; // a reusable workflow call: its runner is the called job's
      if (name === 'stage') expect([job['runs-on'], wf.on.workflow_call.inputs['runs-on'].default]).toEqual(['${{ fromJSON(inputs.runs-on) }}', '"ubuntu-24.04"']);
      else expect(job['runs-on']).toBe('ubuntu-24.04');
    }
  });

  test('images: scan fails on HIGH/CRITICAL before anything is pushed, publish signs and record proposes a PR', () => {
    // WHEN
    const run = (job: string) => images.jobs[job].steps.map((s: Job) => s.run ?? '').join('\n');
    // THEN
    expect(run('build')).toMatch(/--exit-code 1 --severity HIGH,CRITICAL/);
    expect(images.jobs.publish.needs).toEqual(['build']);
    expect(images.jobs.publish.if).toContain("github.ref == 'refs/heads/main'");
    expect(run('publish')).toContain('cosign sign --yes');
    expect(run('build')).toContain('spdx-json=dist-images/$COMPONENT.spdx.json');
    expect(run('publish')).toContain('cosign attest --yes --type spdxjson');
    expect(run('publish').lastIndexOf('cosign verify')).toBeGreaterThan(run('publish').lastIndexOf('cosign sign'));
    expect(run('record')).toContain('image:record-digest');
    expect(run('record')).toContain('gh pr create');
  });
});

describe('scripts the pipelines call exist', () => {
  test('package.json declares the plan:summary and image:record-digest scripts', () => {
    // WHEN
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    // THEN
    expect(scripts['plan:summary']).toContain('dist/scripts/plan-summary.js');
    expect(scripts['image:record-digest']).toContain('dist/scripts/record-image-digest.js');
    expect(readdirSync(join(ROOT, 'scripts'))).toEqual(expect.arrayContaining(['plan-summary.ts', 'record-image-digest.ts']));
  });

  test('every image component the pipelines build has a Dockerfile', () => {
    // WHEN
    const components: string[] = loadYaml(GITLAB_FILE)['.image-components'].parallel.matrix[0].COMPONENT;
    // THEN
    for (const c of components) expect(readdirSync(join(ROOT, 'images', c))).toContain('Dockerfile');
  });
});

describe('both pipelines: remote state only, pinned token CLIs', () => {
  const gitlab = loadYaml(GITLAB_FILE);
  const infra = loadYaml(GITHUB_INFRA_FILE);
  const gitlabJob = (name: string): Job => {
    const job = gitlab[name];
    const parents = ([] as string[]).concat(job.extends ?? []);
    return Object.assign({}, ...parents.map(gitlabJob), job);
  };

  const stage = loadYaml(GITHUB_STAGE_FILE);
  const stageSteps = (): string[] => stage.jobs.deliver.steps.map((s: Job) => s.name ?? s.uses);

  test("GitHub: CI_ENVIRONMENTS equals GitLab's, synth refuses a local backend, every stage job checks before deliver runs", () => {
    // THEN
    expect(infra.env.CI_ENVIRONMENTS).toBe(gitlab.variables.CI_ENVIRONMENTS);
    const synth = infra.jobs.synth.steps.find((s: Job) => s.name === 'synth').run;
    expect(synth).toContain("npm run synth -- --env \"$(echo $CI_ENVIRONMENTS | tr ' ' ',')\"");
    expect(synth.indexOf('node dist/scripts/ci-backend-guard.js $CI_ENVIRONMENTS')).toBeLessThan(synth.indexOf('PLANNED_STACKS'));
    const guard = stage.jobs.deliver.steps.find((s: Job) => s.name === 'refuse a local state backend');
    expect(guard.run).toBe('node dist/scripts/ci-backend-guard.js "$ENVIRONMENT"');
    expect(stage.jobs.deliver.env.ENVIRONMENT).toBe('${{ inputs.environment }}');
    expect(stageSteps().indexOf('refuse a local state backend')).toBeLessThan(stageSteps().indexOf('deliver'));
  });

  test('the guard the pipelines call is a compiled script of this repository', () => {
    // THEN (tsconfig compiles scripts/ into dist/scripts/)
    expect(readdirSync(join(ROOT, 'scripts'))).toContain('ci-backend-guard.ts');
    expect(JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).include).toContain('scripts/**/*.ts');
  });

  test('the kubeconfig CI provides reaches the providers as KUBE_CONFIG_PATH', () => {
    // THEN
    expect(gitlabJob('.terraform-job').before_script.join('\n')).toContain('export KUBE_CONFIG_PATH="$KUBECONFIG"');
    const kube = stage.jobs.deliver.steps.find((s: Job) => s.name === 'kubeconfig (existing clusters)').run;
    expect(kube).toContain('echo "KUBE_CONFIG_PATH=$RUNNER_TEMP/kube/config" >> "$GITHUB_ENV"');
  });

  /** `command:` of every exec credential block in constructs/ (what the generated providers run). */
  function execCommandsInConstructs(): string[] {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const commands = files(join(ROOT, 'constructs')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/exec:\s*\{[^}]*?\bcommand:\s*'([^']+)'/g)].map((m) => m[1]));
    return [...new Set(commands)].sort();
  }

  /** How each CLI must be installed, pinned, in a job: a version variable and the install line using it. */
  const PINNED_INSTALLS: Record<string, { variables: Record<string, RegExp>; install: RegExp[] }> = {
    aws: { variables: { AWSCLI_VERSION: /^\d+\.\d+\.\d+$/ }, install: [/pip" install .*"awscli==\$\{AWSCLI_VERSION\}"|pip install .*"awscli==\$\{AWSCLI_VERSION\}"/] },
    kubelogin: {
      variables: { KUBELOGIN_VERSION: /^\d+\.\d+\.\d+$/, KUBELOGIN_SHA256: /^[0-9a-f]{64}$/ },
      install: [
        /https:\/\/github\.com\/Azure\/kubelogin\/releases\/download\/v\$\{KUBELOGIN_VERSION\}\/kubelogin-linux-amd64\.zip/,
        /echo "\$\{KUBELOGIN_SHA256\} {2}[^"]*kubelogin\.zip" \| sha256sum -c -/,
      ],
    },
  };

  test('the constructs exec exactly the CLIs this table knows (aws on EKS, kubelogin on AKS)', () => {
    // THEN: a new exec command must get a pinned install here and in both pipelines
    expect(execCommandsInConstructs()).toEqual(Object.keys(PINNED_INSTALLS).sort());
  });

  test.each(['aws', 'kubelogin'])('%s: the GitLab plan and apply jobs install it pinned', (cli) => {
    // GIVEN
    const pin = PINNED_INSTALLS[cli];
    // THEN
    for (const [variable, form] of Object.entries(pin.variables)) expect(String(gitlab.variables[variable])).toMatch(form);
    for (const job of ['aws-dev:cluster:plan', 'azure-prod:platform:apply', 'plan:mr']) {
      const text = [...gitlabJob(job).before_script, ...gitlabJob(job).script].join('\n');
      for (const line of pin.install) expect(text).toMatch(line);
    }
  });

  test.each(['aws', 'kubelogin'])('%s: the GitHub plan and apply jobs install it pinned, before terraform runs', (cli) => {
    // GIVEN
    const pin = PINNED_INSTALLS[cli];
    // THEN
    for (const [variable, form] of Object.entries(pin.variables)) {
      expect(String(stage.env[variable])).toMatch(form);
      expect(stage.env[variable]).toBe(gitlab.variables[variable]);
      expect(infra.env[variable]).toBe(gitlab.variables[variable]);
    }
    const step = stage.jobs.deliver.steps.find((s: Job) => s.name === 'token CLIs the providers exec (pinned)');
    expect(step).toBeDefined();
    expect(step.if).toBeUndefined();
    for (const line of pin.install) expect(step.run).toMatch(line);
    expect(stageSteps().indexOf(step.name)).toBeLessThan(stageSteps().indexOf('deliver'));
  });
});
