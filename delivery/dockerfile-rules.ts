import { DockerfileParser, Instruction } from 'dockerfile-ast';

/**
 * Static hardening rules for the project's image Dockerfiles (images/<name>/Dockerfile), checked with a real
 * Dockerfile parser (dockerfile-ast) because no container engine is available to build them in tests or on
 * every runner. The CI image stage runs the same checks before it builds.
 *
 * A rule can be waived for one Dockerfile with a comment that gives the reason:
 *   # exempt(healthcheck): Kubernetes probes /healthz; the distroless base has no client to run a HEALTHCHECK
 * A waiver without a reason is itself a finding.
 */

export type DockerfileRuleId =
  | 'has-from'
  | 'base-pinned-by-digest'
  | 'no-latest-tag'
  | 'no-add-url'
  | 'prefer-copy'
  | 'user-non-root-last'
  | 'user-numeric'
  | 'healthcheck'
  | 'package-upgrade'
  | 'apt-lists-cleaned'
  | 'no-pipe-to-shell'
  | 'no-sudo'
  | 'no-secret-in-env'
  | 'exemption-reason';

export interface DockerfileRuleInfo {
  readonly severity: 'error' | 'warning';
  /** What the rule protects against; printed with each finding. */
  readonly why: string;
  /** Whether `# exempt(<id>): <reason>` may waive it. */
  readonly waivable: boolean;
}

/** Every rule, documented. Errors fail the CI image stage; warnings are printed. */
export const DOCKERFILE_RULES: Readonly<Record<DockerfileRuleId, DockerfileRuleInfo>> = {
  'has-from': { severity: 'error', why: 'a Dockerfile needs a base image', waivable: false },
  'base-pinned-by-digest': {
    severity: 'error',
    waivable: false,
    why: 'a tag can be re-pushed upstream; only a digest pins the bytes that were scanned and signed',
  },
  'no-latest-tag': { severity: 'error', why: '"latest" is not a version: builds stop being reproducible', waivable: false },
  'no-add-url': {
    severity: 'error',
    waivable: false,
    why: 'ADD <url> downloads unverified content at build time; fetch with a checksum in a RUN, or vendor it',
  },
  'prefer-copy': { severity: 'warning', why: 'ADD silently extracts archives; COPY does exactly what it says', waivable: true },
  'user-non-root-last': {
    severity: 'error',
    waivable: false,
    why: 'the container must not run as root: the final stage ends with a non-root USER',
  },
  'user-numeric': {
    severity: 'error',
    waivable: true,
    why: 'Kubernetes runAsNonRoot can only verify a numeric UID; a user name makes the pod fail to start',
  },
  healthcheck: {
    severity: 'error',
    waivable: true,
    why: 'a HEALTHCHECK lets any runtime detect a hung process; waive it only with the probe that replaces it',
  },
  'package-upgrade': {
    severity: 'error',
    waivable: true,
    why: 'OS packages in the base image get fixes between upstream releases; upgrade them at build time',
  },
  'apt-lists-cleaned': { severity: 'warning', why: 'apt lists left in a layer bloat the image and go stale', waivable: true },
  'no-pipe-to-shell': { severity: 'error', why: 'piping a download into a shell runs unverified code', waivable: false },
  'no-sudo': { severity: 'error', why: 'sudo in an image is a privilege-escalation path and never needed at build time', waivable: false },
  'no-secret-in-env': {
    severity: 'error',
    waivable: false,
    why: 'ENV/ARG values are stored in the image config and readable by anyone who can pull it',
  },
  'exemption-reason': { severity: 'error', why: 'a waiver must say why, so a reviewer can judge it', waivable: false },
};

export interface DockerfileFinding {
  readonly rule: DockerfileRuleId;
  readonly severity: 'error' | 'warning';
  /** 1-based line number. */
  readonly line: number;
  readonly message: string;
}

export interface DockerfileCheckResult {
  readonly findings: readonly DockerfileFinding[];
  /** Rules waived by an `# exempt(<rule>): <reason>` comment, with the reason. */
  readonly exemptions: Readonly<Partial<Record<DockerfileRuleId, string>>>;
  readonly errors: readonly DockerfileFinding[];
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const EXEMPTION = /^exempt\(([a-z-]+)\)\s*(?::\s*(.*))?$/;
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const UPGRADE = /\b(apt-get|apt)\s+(-\S+\s+)*(upgrade|dist-upgrade|full-upgrade)\b|\bapk\s+(-\S+\s+)*upgrade\b|\b(microdnf|dnf|yum)\s+(-\S+\s+)*(update|upgrade)\b/;

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

/** `KEY=value` pairs and `KEY value` (legacy ENV) from an ENV/ARG argument list. */
function declaredVariables(instruction: Instruction): Array<{ name: string; hasValue: boolean }> {
  const args = instruction.getArguments().map((a) => a.getValue());
  if (instruction.getKeyword() === 'ENV' && args.length >= 2 && !args[0].includes('=')) {
    return [{ name: args[0], hasValue: true }];
  }
  return args.map((a) => {
    const eq = a.indexOf('=');
    return eq < 0 ? { name: a, hasValue: false } : { name: a.slice(0, eq), hasValue: eq < a.length - 1 };
  });
}

function isRootUser(user: string): boolean {
  const name = user.split(':')[0];
  return name === 'root' || name === '0' || name === '';
}

/** Checks one Dockerfile's text against {@link DOCKERFILE_RULES}. */
export function checkDockerfile(content: string): DockerfileCheckResult {
  const dockerfile = DockerfileParser.parse(content);
  const raw: DockerfileFinding[] = [];
  const add = (rule: DockerfileRuleId, line: number, message: string) => raw.push({ rule, severity: DOCKERFILE_RULES[rule].severity, line, message });

  const exemptions: Partial<Record<DockerfileRuleId, string>> = {};
  for (const comment of dockerfile.getComments()) {
    const match = EXEMPTION.exec(comment.getContent().trim());
    if (!match) continue;
    const line = comment.getRange().start.line + 1;
    const rule = match[1] as DockerfileRuleId;
    const reason = (match[2] ?? '').trim();
    if (!(rule in DOCKERFILE_RULES)) {
      add('exemption-reason', line, `exempt(${rule}) names no known rule; known: ${Object.keys(DOCKERFILE_RULES).join(', ')}`);
    } else if (!DOCKERFILE_RULES[rule].waivable) {
      add('exemption-reason', line, `rule ${rule} cannot be waived (${DOCKERFILE_RULES[rule].why})`);
    } else if (reason.length < 10) {
      add('exemption-reason', line, `exempt(${rule}) needs a reason after the colon, e.g. "# exempt(${rule}): <why this image does without it>"`);
    } else {
      exemptions[rule] = reason;
    }
  }

  const froms = dockerfile.getFROMs();
  if (froms.length === 0) {
    add('has-from', 1, 'no FROM instruction');
    return finish(raw, exemptions);
  }
  const stageNames = new Set<string>();
  for (const from of froms) {
    const image = from.getImage() ?? '';
    const name = from.getImageName() ?? '';
    const line = lineOf(from);
    if (stageNames.has(name.toLowerCase())) {
      // Builds on an earlier stage of this file: pinned by that stage.
    } else if (image.includes('$')) {
      add('base-pinned-by-digest', line, `FROM ${image}: the base image must be literal (no build arguments) so review and scanners see the pin`);
    } else if (name === 'scratch') {
      // scratch is empty by definition
    } else if (!DIGEST.test(from.getImageDigest() ?? '')) {
      add('base-pinned-by-digest', line, `FROM ${image}: pin the base by digest, e.g. ${name}:${from.getImageTag() ?? '<tag>'}@sha256:<64 hex>`);
    }
    if (from.getImageTag() === 'latest') add('no-latest-tag', line, `FROM ${image}: "latest" tag`);
    const stage = from.getBuildStage();
    if (stage) stageNames.add(stage.toLowerCase());
  }

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = lineOf(instruction);
    const text = instruction.getArgumentsContent() ?? '';
    if (keyword !== 'FROM' && /(^|[\s=/])[\w.\-/]+:latest(\s|$)/.test(instruction.getTextContent())) {
      add('no-latest-tag', line, `${keyword} refers to a "latest" image`);
    }
    if (keyword === 'ADD') {
      const sources = instruction
        .getArguments()
        .map((a) => a.getValue())
        .filter((v) => !v.startsWith('--'))
        .slice(0, -1);
      if (sources.some((s) => /^(https?|ftp|git|ssh):\/\/|^git@/.test(s))) {
        add('no-add-url', line, `ADD ${sources.join(' ')}: downloading with ADD is not allowed`);
      } else {
        add('prefer-copy', line, 'use COPY instead of ADD for local files');
      }
    }
    if (keyword === 'RUN') {
      if (/\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da)?sh\b/.test(text)) add('no-pipe-to-shell', line, 'RUN pipes a download into a shell');
      if (/(^|[\s;&|])sudo\s/.test(text)) add('no-sudo', line, 'RUN uses sudo');
    }
    if (keyword === 'ENV' || keyword === 'ARG') {
      for (const variable of declaredVariables(instruction)) {
        if (SECRET_NAME.test(variable.name) && (keyword === 'ENV' || variable.hasValue)) {
          add('no-secret-in-env', line, `${keyword} ${variable.name}: secrets must come from the runtime (Kubernetes Secret), not the image`);
        }
      }
    }
  }

  // Rules on the final stage: what actually ships.
  const finalFrom = froms[froms.length - 1];
  const finalStage = dockerfile.getInstructions().filter((i) => lineOf(i) >= lineOf(finalFrom));
  const users = finalStage.filter((i) => i.getKeyword() === 'USER');
  const lastUser = users[users.length - 1];
  if (!lastUser) {
    add('user-non-root-last', lineOf(finalFrom), 'the final stage sets no USER: it would run as the base image decides (often root)');
  } else {
    const user = (lastUser.getArgumentsContent() ?? '').trim();
    if (isRootUser(user)) add('user-non-root-last', lineOf(lastUser), `the last USER is ${user || '(empty)'}: the image would run as root`);
    else if (!/^\d+(:\d+)?$/.test(user)) add('user-numeric', lineOf(lastUser), `USER ${user}: use the numeric UID[:GID]`);
  }
  const healthchecks = finalStage.filter((i) => i.getKeyword() === 'HEALTHCHECK');
  const lastHealthcheck = healthchecks[healthchecks.length - 1];
  if (!lastHealthcheck || /^NONE\b/i.test((lastHealthcheck.getArgumentsContent() ?? '').trim())) {
    add('healthcheck', lineOf(lastHealthcheck ?? finalFrom), 'the final stage has no HEALTHCHECK (or disables it)');
  }
  const runs = finalStage.filter((i) => i.getKeyword() === 'RUN').map((i) => ({ line: lineOf(i), text: i.getArgumentsContent() ?? '' }));
  if (!runs.some((r) => UPGRADE.test(r.text))) {
    add('package-upgrade', lineOf(finalFrom), 'the final stage never upgrades OS packages (apt-get upgrade, apk upgrade, microdnf update)');
  }
  for (const run of runs) {
    if (/\bapt(-get)?\s+(-\S+\s+)*(update|install|upgrade)\b/.test(run.text) && !run.text.includes('/var/lib/apt/lists')) {
      add('apt-lists-cleaned', run.line, 'this RUN uses apt but does not remove /var/lib/apt/lists/* in the same layer');
    }
  }
  return finish(raw, exemptions);
}

function finish(raw: DockerfileFinding[], exemptions: Partial<Record<DockerfileRuleId, string>>): DockerfileCheckResult {
  const findings = raw.filter((f) => exemptions[f.rule] === undefined).sort((a, b) => a.line - b.line);
  return { findings, exemptions, errors: findings.filter((f) => f.severity === 'error') };
}

/** One line per finding, `file:line severity rule: message (why)`. */
export function formatDockerfileFindings(file: string, findings: readonly DockerfileFinding[]): string {
  return findings.map((f) => `${file}:${f.line} ${f.severity} ${f.rule}: ${f.message} (${DOCKERFILE_RULES[f.rule].why})`).join('\n');
}
