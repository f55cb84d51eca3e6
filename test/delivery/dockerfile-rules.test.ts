import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { DockerfileParser } from 'dockerfile-ast';
import { checkDockerfile, DockerfileRuleId } from '../../delivery/dockerfile-rules';
import { runCheckDockerfilesCli } from '../../delivery/check-dockerfiles-cli';

const ROOT = join(__dirname, '..', '..');
const GATEWAY = join(ROOT, 'images', 'kong', 'Dockerfile');
const CONTROLLER = join(ROOT, 'images', 'kong-ingress-controller', 'Dockerfile');
const PINNED = `@sha256:${'a1'.repeat(32)}`;

/** A Dockerfile that passes every rule; each test breaks one thing. */
function goodDockerfile(overrides: { from?: string; body?: string; user?: string; healthcheck?: string } = {}): string {
  return [
    overrides.from ?? `FROM debian:12${PINNED}`,
    overrides.body ?? 'RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*',
    overrides.healthcheck ?? 'HEALTHCHECK CMD ["true"]',
    overrides.user ?? 'USER 1000:1000',
    '',
  ].join('\n');
}
function rulesHit(content: string): DockerfileRuleId[] {
  return checkDockerfile(content).findings.map((f) => f.rule);
}

describe('project Dockerfiles', () => {
  test.each([
    ['gateway', GATEWAY],
    ['controller', CONTROLLER],
  ])('%s Dockerfile has no finding', (_name, file) => {
    // WHEN
    const result = checkDockerfile(readFileSync(file, 'utf8'));
    // THEN
    expect(result.findings).toEqual([]);
  });

  test('the controller waives only healthcheck and package-upgrade, each with a reason', () => {
    // WHEN
    const result = checkDockerfile(readFileSync(CONTROLLER, 'utf8'));
    // THEN
    expect(Object.keys(result.exemptions).sort()).toEqual(['healthcheck', 'package-upgrade']);
  });

  test('the gateway copies the custom plugins onto the Lua path and every plugin folder is in the build context', () => {
    // GIVEN
    const dockerfile = DockerfileParser.parse(readFileSync(GATEWAY, 'utf8'));
    const ignore = readFileSync(`${GATEWAY}.dockerignore`, 'utf8');
    // WHEN
    const copies = dockerfile.getCOPYs().map((c) =>
      c
        .getArguments()
        .map((a) => a.getValue())
        .filter((v) => !v.startsWith('--')),
    );
    // THEN
    expect(copies).toContainEqual(['plugins/', '/usr/local/share/lua/5.1/kong/plugins/']);
    expect(ignore).toContain('!plugins/**/*.lua');
    expect(readdirSync(join(ROOT, 'plugins')).length).toBeGreaterThan(0);
  });

  test('the gateway runs as the uid the kong chart expects (containerSecurityContext.runAsUser 1000)', () => {
    // GIVEN the upstream chart default
    const values = readFileSync(join(ROOT, 'test', 'fixtures', 'upstream', 'kong-charts-3.4.1', 'values.yaml'), 'utf8');
    expect(values).toMatch(/containerSecurityContext:[\s\S]*?runAsUser: 1000/);
    // WHEN
    const users = DockerfileParser.parse(readFileSync(GATEWAY, 'utf8'))
      .getInstructions()
      .filter((i) => i.getKeyword() === 'USER');
    // THEN
    expect(users[users.length - 1].getArgumentsContent()).toBe('1000:1000');
  });

  test('the gateway removes download tools and the package manager in the layer that upgrades', () => {
    // WHEN
    const runs = DockerfileParser.parse(readFileSync(GATEWAY, 'utf8'))
      .getInstructions()
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getArgumentsContent() ?? '');
    const upgrade = runs.find((r) => r.includes('apt-get upgrade')) ?? '';
    // THEN
    expect(upgrade).toMatch(/for tool in curl wget /);
    expect(upgrade).toContain('rm -f /usr/bin/apt ');
    expect(upgrade).toContain('-perm /6000');
  });

  test('the CLI exits 0 on the project Dockerfiles', () => {
    // WHEN
    const result = runCheckDockerfilesCli([GATEWAY, CONTROLLER]);
    // THEN
    expect(result.exitCode).toBe(0);
  });
});

describe('rules', () => {
  test('the reference Dockerfile passes (so each rule test below breaks exactly one thing)', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile())).toEqual([]);
  });

  test('a base pinned by tag only is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ from: 'FROM debian:12' }))).toEqual(['base-pinned-by-digest']);
  });

  test('a base from a build argument is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ from: `ARG BASE=debian:12${PINNED}\nFROM \${BASE}` }))).toEqual(['base-pinned-by-digest']);
  });

  test('a later stage built on an earlier pinned stage is accepted', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ from: `FROM debian:12${PINNED} AS base\nFROM base` }))).toEqual([]);
  });

  test('the latest tag is refused even with a digest', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ from: `FROM debian:latest${PINNED}` }))).toEqual(['no-latest-tag']);
  });

  test('COPY --from a latest image is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ body: 'RUN apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\nCOPY --from=busybox:latest /bin/busybox /bin/' }))).toEqual(['no-latest-tag']);
  });

  test('ADD of a URL is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ body: 'RUN apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\nADD https://example.com/kong.tar.gz /opt/' }))).toEqual(['no-add-url']);
  });

  test('ADD of a local file is a warning, not an error', () => {
    // WHEN
    const result = checkDockerfile(goodDockerfile({ body: 'RUN apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\nADD plugins/ /opt/' }));
    // THEN
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([['prefer-copy', 'warning']]);
    expect(result.errors).toEqual([]);
  });

  test('a missing USER is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ user: '' }))).toEqual(['user-non-root-last']);
  });

  test.each(['root', '0', '0:0'])('USER %s last is refused', (user) => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ user: `USER ${user}` }))).toEqual(['user-non-root-last']);
  });

  test('a non-root USER followed by USER root is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ user: 'USER 1000\nUSER root' }))).toEqual(['user-non-root-last']);
  });

  test('a USER name instead of a numeric uid is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ user: 'USER kong' }))).toEqual(['user-numeric']);
  });

  test('a non-root USER in a build stage does not count for the final stage', () => {
    // WHEN
    const content = `FROM debian:12${PINNED} AS build\nUSER 1000\n${goodDockerfile({ user: '' })}`;
    // THEN
    expect(rulesHit(content)).toEqual(['user-non-root-last']);
  });

  test('a missing HEALTHCHECK is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ healthcheck: '' }))).toEqual(['healthcheck']);
  });

  test('HEALTHCHECK NONE is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ healthcheck: 'HEALTHCHECK NONE' }))).toEqual(['healthcheck']);
  });

  test('a missing HEALTHCHECK with a documented reason is accepted', () => {
    // WHEN
    const result = checkDockerfile(goodDockerfile({ healthcheck: '# exempt(healthcheck): Kubernetes probes /healthz on 10254' }));
    // THEN
    expect(result.findings).toEqual([]);
    expect(result.exemptions.healthcheck).toBe('Kubernetes probes /healthz on 10254');
  });

  test('a waiver without a reason is refused and waives nothing', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ healthcheck: '# exempt(healthcheck):' })).sort()).toEqual(['exemption-reason', 'healthcheck']);
  });

  test('the digest pin cannot be waived', () => {
    // WHEN
    const hits = rulesHit(goodDockerfile({ from: 'FROM debian:12\n# exempt(base-pinned-by-digest): we trust upstream tags' }));
    // THEN
    expect(hits.sort()).toEqual(['base-pinned-by-digest', 'exemption-reason']);
  });

  test('no package upgrade is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ body: 'RUN true' }))).toEqual(['package-upgrade']);
  });

  test('apt lists left in the layer are a warning', () => {
    // WHEN
    const result = checkDockerfile(goodDockerfile({ body: 'RUN apt-get update && apt-get upgrade -y' }));
    // THEN
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([['apt-lists-cleaned', 'warning']]);
  });

  test('piping a download into a shell is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ body: 'RUN apt-get upgrade -y && rm -rf /var/lib/apt/lists/* && curl -fsSL https://x.example/i.sh | sh' }))).toEqual(['no-pipe-to-shell']);
  });

  test('sudo is refused', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ body: 'RUN sudo apt-get upgrade -y && rm -rf /var/lib/apt/lists/*' }))).toEqual(['no-sudo']);
  });

  test.each(['ENV KONG_PASSWORD=changeme', 'ENV ADMIN_TOKEN hunter2', 'ARG API_KEY=abc123'])('a secret baked into the image is refused: %s', (line) => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ body: `RUN apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n${line}` }))).toEqual(['no-secret-in-env']);
  });

  test('a secret build argument without a default is accepted (it is not stored in the image)', () => {
    // WHEN / THEN
    expect(rulesHit(goodDockerfile({ body: 'ARG NPM_TOKEN\nRUN apt-get upgrade -y && rm -rf /var/lib/apt/lists/*' }))).toEqual([]);
  });

  test('a file without FROM is refused', () => {
    // WHEN / THEN
    expect(rulesHit('RUN true\n')).toEqual(['has-from']);
  });

  test('findings carry the 1-based line number', () => {
    // WHEN
    const [finding] = checkDockerfile(goodDockerfile({ user: 'USER root' })).findings;
    // THEN
    expect(finding.line).toBe(4);
  });

  test('the CLI exits 1 when a Dockerfile has an error', () => {
    // GIVEN
    const dir = require('fs').mkdtempSync(join(require('os').tmpdir(), 'dockerfile-'));
    const file = join(dir, 'Dockerfile');
    require('fs').writeFileSync(file, goodDockerfile({ from: 'FROM debian:12' }));
    // WHEN
    const result = runCheckDockerfilesCli([file]);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`${file}:1 error base-pinned-by-digest`);
  });
});

describe('images/kong/Dockerfile enables the plugins it bakes', () => {
  test('KONG_PLUGINS is bundled plus exactly one name per plugins/<name>/ folder', () => {
    // GIVEN
    const root = require('path').join(__dirname, '..', '..');
    const fs = require('fs') as typeof import('fs');
    const dockerfile = fs.readFileSync(require('path').join(root, 'images', 'kong', 'Dockerfile'), 'utf8');
    const folders = fs
      .readdirSync(require('path').join(root, 'plugins'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    // WHEN
    const value = /^ENV KONG_PLUGINS=(\S+)$/m.exec(dockerfile)?.[1];
    // THEN
    expect(folders.length).toBeGreaterThan(0);
    expect(value?.split(',')).toEqual(['bundled', ...folders]);
    expect(dockerfile.indexOf('ENV KONG_PLUGINS')).toBeGreaterThan(dockerfile.indexOf('COPY --chown=0:0 plugins/'));
  });
});
