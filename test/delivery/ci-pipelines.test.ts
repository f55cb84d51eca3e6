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
  return environments().filter((e) => e.backend !== 'local').map((e) => e.name).sort();
}
/** The stacks the pipelines plan, as declared once in .gitlab-ci.yml (PLANNED_STACKS). */
function plannedStacks(): string[] {
  return String(loadYaml(GITLAB_FILE).variables.PLANNED_STACKS).split(' ').sort();
}
/** `<env>/<stack>` for every planned stack, attributed to the environment whose name prefixes it. */
function plannedPairs(): string[] {
  const envs = environments().map((e) => e.name).sort((a, b) => b.length - a.length);
  return plannedStacks().map((stack) => `${envs.find((e) => stack.startsWith(`${e}-`)) ?? '?'}/${stack}`).sort();
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

  test('declares the delivery stages in order', () => {
    // THEN
    expect(ci.stages.slice(0, 6)).toEqual(['install', 'lint', 'test', 'synth', 'plan', 'apply']);
    expect(ci.stages).toEqual(expect.arrayContaining(['image-build', 'image-scan', 'image-publish']));
  });

  test.each(['install', 'lint', 'test', 'synth', 'plan', 'apply'])('has the %s job in its stage', (name) => {
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

  test('the plan matrix has exactly one job per planned stack', () => {
    // WHEN
    const matrix: Array<{ ENVIRONMENT: string; STACK: string[] }> = resolved('plan').parallel.matrix;
    const pairs = matrix.flatMap((row) => row.STACK.map((s) => `${row.ENVIRONMENT}/${s}`)).sort();
    // THEN
    expect(pairs).toEqual(plannedPairs());
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
    expect(script[0]).toBe('npm run synth -- --env "$(echo $CI_ENVIRONMENTS | tr \' \' \',\')"');
    expect(guard).toBeGreaterThan(0);
    expect(guard).toBeLessThan(script.findIndex((l) => l.includes('PLANNED_STACKS')));
  });

  test.each(['plan', 'apply'])('%s refuses a local backend of its environment before terraform runs', (job) => {
    // WHEN
    const script: string[] = resolved(job).script;
    const guard = script.indexOf('node dist/scripts/ci-backend-guard.js "$ENVIRONMENT"');
    const terraform = script.findIndex((l) => l.includes('terraform init'));
    // THEN
    expect(guard).toBeGreaterThanOrEqual(0);
    expect(guard).toBeLessThan(terraform);
  });

  test('synth fails when the synthesized stacks differ from the planned ones', () => {
    // GIVEN the guard as the synth job runs it
    const guard = resolved('synth').script.find((line: string) => line.includes('PLANNED_STACKS'));
    // WHEN / THEN
    expect(runSynthGuard(guard, ['b-platform', 'a-platform'], 'a-platform b-platform')).toBe(0);
    expect(runSynthGuard(guard, ['a-platform', 'a-cluster', 'b-platform'], 'a-platform b-platform')).toBe(1);
    expect(runSynthGuard(guard, ['a-platform'], 'a-platform b-platform')).toBe(1);
  });

  test('the plan job plans into a file, renders it as JSON and summarises it', () => {
    // WHEN
    const script = resolved('plan').script.join('\n');
    // THEN
    expect(script).toContain('cd "cdktf.out/stacks/$STACK"');
    expect(script).toMatch(/terraform plan .*-out=plan\.tfplan/);
    expect(script).toContain('terraform show -json plan.tfplan > plan.json');
    expect(script).toContain('dist/scripts/plan-summary.js" plan.json --stack "$STACK" --out plan-summary.md --gitlab-report plan-report.json');
  });

  test('the plan job publishes plan.json, the summary and the Terraform report for the MR widget', () => {
    // WHEN
    const artifacts = resolved('plan').artifacts;
    // THEN
    expect(artifacts.paths).toEqual(expect.arrayContaining([
      'cdktf.out/stacks/$STACK/plan.json',
      'cdktf.out/stacks/$STACK/plan-summary.md',
      'cdktf.out/stacks/$STACK/plan.tfplan',
    ]));
    expect(artifacts.reports.terraform).toBe('cdktf.out/stacks/$STACK/plan-report.json');
    expect(artifacts.access).toBe('developer');
  });

  test('apply runs only on the default branch and only when started by hand', () => {
    // WHEN
    const apply = resolved('apply');
    // THEN
    expect(apply.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
    expect(apply.allow_failure).toBe(false);
  });

  test('apply has one job per environment file, each in its own environment and resource group', () => {
    // WHEN
    const apply = resolved('apply');
    const rows: Array<{ ENVIRONMENT: string; STACKS: string }> = apply.parallel.matrix;
    // THEN
    expect(rows.map((r) => r.ENVIRONMENT).sort()).toEqual(ciEnvironments());
    for (const row of rows) {
      const stacks = plannedPairs().filter((p) => p.startsWith(`${row.ENVIRONMENT}/`)).map((p) => p.split('/')[1]);
      // the state storage first, then the cluster, then the platform that runs on it
      const rank = (stack: string) => (stack.endsWith('-state') ? 0 : stack.endsWith('-cluster') ? 1 : 2);
      expect(row.STACKS.split(' ')).toEqual(stacks.sort((a, b) => rank(a) - rank(b)));
    }
    expect(apply.environment.name).toBe('$ENVIRONMENT');
    expect(apply.resource_group).toContain('$ENVIRONMENT');
  });

  test('apply refuses high-risk plans unless ALLOW_HIGH_RISK is set and applies the saved plan', () => {
    // WHEN
    const script = resolved('apply').script.join('\n');
    // THEN
    expect(script).toContain('--fail-on-high-risk');
    expect(script).toContain('ALLOW_HIGH_RISK');
    expect(script).toMatch(/terraform apply .*plan\.tfplan/);
  });

  test('Terraform jobs get cloud credentials from OIDC ID tokens, never from static keys', () => {
    // WHEN
    const plan = resolved('plan');
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
  });

  test('images are published only from the default branch', () => {
    // WHEN
    const rules: Array<{ if: string }> = resolved('image:publish').rules;
    // THEN
    for (const rule of rules) expect(rule.if).toContain('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
  });

  test('every container image is pinned to a version, none to latest', () => {
    // WHEN
    const images = Object.entries(ci.variables as Record<string, string>).filter(([k]) => k.endsWith('_IMAGE')).map(([, v]) => v);
    // THEN
    expect(images.length).toBeGreaterThan(3);
    for (const image of images) expect(image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
  });
});

describe('GitHub workflows', () => {
  const infra = loadYaml(GITHUB_INFRA_FILE);
  const images = loadYaml(GITHUB_IMAGES_FILE);
  const workflows: Array<[string, Record<string, any>]> = [['infrastructure', infra], ['images', images]];

  test('infrastructure has the same stages as GitLab: lint, test (each installs), synth, plan, apply', () => {
    // THEN
    expect(Object.keys(infra.jobs)).toEqual(expect.arrayContaining(['lint', 'test', 'synth', 'plan', 'apply']));
    const stepNames = (job: string) => infra.jobs[job].steps.map((s: Job) => s.name);
    expect(stepNames('lint')).toEqual(expect.arrayContaining(['install', 'lint']));
    expect(stepNames('test')).toEqual(expect.arrayContaining(['install', 'test']));
    expect(infra.jobs.synth.needs).toEqual(['lint', 'test']);
  });

  test('plans run on pull requests, applies on pushes to main', () => {
    // THEN
    expect(infra.on).toHaveProperty('pull_request');
    expect(infra.on.push.branches).toEqual(['main']);
    expect(infra.jobs.apply.if).toBe("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}");
    expect(infra.jobs.apply.needs).toContain('plan');
  });

  test('the plan matrix and PLANNED_STACKS equal the GitLab ones', () => {
    // WHEN
    const rows: Array<{ environment: string; stack: string }> = infra.jobs.plan.strategy.matrix.include;
    // THEN
    expect(rows.map((r) => `${r.environment}/${r.stack}`).sort()).toEqual(plannedPairs());
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

  test('apply stacks equal the GitLab apply stacks per environment', () => {
    // WHEN
    const github = infra.jobs.apply.strategy.matrix.include.map((r: Job) => `${r.environment}:${r.stacks}`).sort();
    const gitlab = loadYaml(GITLAB_FILE).apply.parallel.matrix.map((r: Job) => `${r.ENVIRONMENT}:${r.STACKS}`).sort();
    // THEN
    expect(github).toEqual(gitlab);
  });

  test('apply runs behind a GitHub environment per environment file, one at a time', () => {
    // WHEN
    const apply = infra.jobs.apply;
    // THEN
    expect(apply.environment).toBe('${{ matrix.environment }}');
    expect(apply.strategy.matrix.include.map((r: Job) => r.environment).sort()).toEqual(ciEnvironments());
    expect(apply.concurrency).toEqual({ group: 'apply-${{ matrix.environment }}', 'cancel-in-progress': false });
  });

  test('the plan summary goes to the job summary and to the pull request', () => {
    // WHEN
    const planScript = infra.jobs.plan.steps.map((s: Job) => s.run ?? '').join('\n');
    const commentScript = infra.jobs['plan-comment'].steps.map((s: Job) => s.run ?? '').join('\n');
    // THEN
    expect(planScript).toContain('plan-summary.md >> "$GITHUB_STEP_SUMMARY"');
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
      Object.entries(j.permissions as Record<string, string>).filter(([, v]) => v === 'write').map(([scope]) => `${job}:${scope}`));
    // THEN
    const allowed = ['plan:id-token', 'apply:id-token', 'plan-comment:pull-requests', 'publish:id-token', 'record:contents', 'record:pull-requests'];
    for (const write of writes) expect(allowed).toContain(write);
  });

  test('OIDC id-token is granted to the cloud-facing jobs', () => {
    // THEN
    expect(infra.jobs.plan.permissions['id-token']).toBe('write');
    expect(infra.jobs.apply.permissions['id-token']).toBe('write');
    expect(images.jobs.publish.permissions['id-token']).toBe('write');
  });

  test.each(workflows)('%s: every action is pinned by full commit SHA with its version noted', (name, wf) => {
    // WHEN
    const file = name === 'images' ? GITHUB_IMAGES_FILE : GITHUB_INFRA_FILE;
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
    const uses = (Object.values(wf.jobs) as Job[]).flatMap((j) => (j.steps ?? []).map((s: Job) => s.uses).filter(Boolean));
    // THEN
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    for (const line of lines) expect(line).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  test.each(workflows)('%s: no secret value inline, secrets only through the secrets context', (name) => {
    // WHEN
    const text = readFileSync(name === 'images' ? GITHUB_IMAGES_FILE : GITHUB_INFRA_FILE, 'utf8');
    // THEN
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|-----BEGIN|ghp_[A-Za-z0-9]{20,}|AWS_SECRET_ACCESS_KEY|ARM_CLIENT_SECRET/);
    const literalSecretSettings = [...text.matchAll(/^\s*([A-Z_]*(TOKEN|PASSWORD|SECRET)[A-Z_]*):\s*(.+)$/gm)]
      .filter(([, , , value]) => !value.trim().startsWith('${{'));
    expect(literalSecretSettings).toEqual([]);
  });

  test.each(workflows)('%s: no latest tags, runners pinned to an OS version', (name, wf) => {
    // WHEN
    const text = readFileSync(name === 'images' ? GITHUB_IMAGES_FILE : GITHUB_INFRA_FILE, 'utf8');
    // THEN
    expect(text).not.toMatch(/:latest\b|ubuntu-latest/);
    for (const job of Object.values(wf.jobs) as Job[]) expect(job['runs-on']).toBe('ubuntu-24.04');
  });

  test('images: scan fails on HIGH/CRITICAL before anything is pushed, publish signs and record proposes a PR', () => {
    // WHEN
    const run = (job: string) => images.jobs[job].steps.map((s: Job) => s.run ?? '').join('\n');
    // THEN
    expect(run('build')).toMatch(/--exit-code 1 --severity HIGH,CRITICAL/);
    expect(images.jobs.publish.needs).toEqual(['build']);
    expect(images.jobs.publish.if).toContain("github.ref == 'refs/heads/main'");
    expect(run('publish')).toContain('cosign sign --yes');
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
  const stepNames = (job: string): string[] => infra.jobs[job].steps.map((s: Job) => s.name ?? s.uses);

  test('GitHub: CI_ENVIRONMENTS equals GitLab\'s, synth refuses a local backend, plan and apply check before terraform', () => {
    // THEN
    expect(infra.env.CI_ENVIRONMENTS).toBe(gitlab.variables.CI_ENVIRONMENTS);
    const synth = infra.jobs.synth.steps.find((s: Job) => s.name === 'synth').run;
    expect(synth).toContain('npm run synth -- --env "$(echo $CI_ENVIRONMENTS | tr \' \' \',\')"');
    expect(synth.indexOf('node dist/scripts/ci-backend-guard.js $CI_ENVIRONMENTS')).toBeLessThan(synth.indexOf('PLANNED_STACKS'));
    for (const [job, terraformStep] of [['plan', 'plan'], ['apply', 'apply the saved plans']]) {
      const guard = infra.jobs[job].steps.find((s: Job) => s.name === 'refuse a local state backend');
      expect(guard.run).toBe('node dist/scripts/ci-backend-guard.js "$ENVIRONMENT"');
      expect(infra.jobs[job].env.ENVIRONMENT).toBe('${{ matrix.environment }}');
      expect(stepNames(job).indexOf('refuse a local state backend')).toBeLessThan(stepNames(job).indexOf(terraformStep));
    }
  });

  test('the guard the pipelines call is a compiled script of this repository', () => {
    // THEN (tsconfig compiles scripts/ into dist/scripts/)
    expect(readdirSync(join(ROOT, 'scripts'))).toContain('ci-backend-guard.ts');
    expect(JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).include).toContain('scripts/**/*.ts');
  });

  test('the kubeconfig CI provides reaches the providers as KUBE_CONFIG_PATH', () => {
    // THEN
    expect(gitlabJob('plan').before_script.join('\n')).toContain('export KUBE_CONFIG_PATH="$KUBECONFIG"');
    for (const job of ['plan', 'apply']) {
      const kube = infra.jobs[job].steps.find((s: Job) => s.name === 'kubeconfig (existing clusters)').run;
      expect(kube).toContain('echo "KUBE_CONFIG_PATH=$RUNNER_TEMP/kube/config" >> "$GITHUB_ENV"');
    }
  });

  /** `command:` of every exec credential block in constructs/ (what the generated providers run). */
  function execCommandsInConstructs(): string[] {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const commands = files(join(ROOT, 'constructs')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/exec:\s*\{[^}]*?\bcommand:\s*'([^']+)'/g)].map((m) => m[1]));
    return [...new Set(commands)].sort();
  }

  /** How each CLI must be installed, pinned, in a job: a version variable and the install line using it. */
  const PINNED_INSTALLS: Record<string, { variables: Record<string, RegExp>; install: RegExp[] }> = {
    aws: { variables: { AWSCLI_VERSION: /^\d+\.\d+\.\d+$/ }, install: [/pip" install .*"awscli==\$\{AWSCLI_VERSION\}"|pip install .*"awscli==\$\{AWSCLI_VERSION\}"/] },
    kubelogin: {
      variables: { KUBELOGIN_VERSION: /^\d+\.\d+\.\d+$/, KUBELOGIN_SHA256: /^[0-9a-f]{64}$/ },
      install: [
        /https:\/\/github\.com\/Azure\/kubelogin\/releases\/download\/v\$\{KUBELOGIN_VERSION\}\/kubelogin-linux-amd64\.zip/,
        /echo "\$\{KUBELOGIN_SHA256\}  [^"]*kubelogin\.zip" \| sha256sum -c -/,
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
    for (const job of ['plan', 'apply']) {
      const text = [...gitlabJob(job).before_script, ...gitlabJob(job).script].join('\n');
      for (const line of pin.install) expect(text).toMatch(line);
    }
  });

  test.each(['aws', 'kubelogin'])('%s: the GitHub plan and apply jobs install it pinned, before terraform runs', (cli) => {
    // GIVEN
    const pin = PINNED_INSTALLS[cli];
    // THEN
    for (const [variable, form] of Object.entries(pin.variables)) {
      expect(String(infra.env[variable])).toMatch(form);
      expect(infra.env[variable]).toBe(gitlab.variables[variable]);
    }
    for (const [job, terraformStep] of [['plan', 'plan'], ['apply', 'apply the saved plans']]) {
      const step = infra.jobs[job].steps.find((s: Job) => s.name === 'token CLIs the providers exec (pinned)');
      expect(step).toBeDefined();
      expect(step.if).toBeUndefined();
      for (const line of pin.install) expect(step.run).toMatch(line);
      expect(stepNames(job).indexOf(step.name)).toBeLessThan(stepNames(job).indexOf(terraformStep));
    }
  });
});
