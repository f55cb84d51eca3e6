import type { PodSecurityLevel } from '../kubernetes/platform-namespaces';

/**
 * Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
 * the checks Pod Security Admission runs, as plain functions over Kubernetes objects (camelCase,
 * the API's shape). Policy version: Kubernetes v1.30 (what `enforce-version: latest` means on a
 * 1.30 cluster), so values added later (e.g. SELinux type `container_engine_t`, 1.31) are refused.
 *
 * `baseline` prevents known privilege escalations; `restricted` adds the hardening best practices.
 * `privileged` checks nothing.
 */

/** One check of the standard, named as in the Pod Security Standards page. */
export type PodSecurityCheck =
  | 'hostProcess'
  | 'hostNamespaces'
  | 'privileged'
  | 'capabilities'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'appArmor'
  | 'seLinux'
  | 'procMount'
  | 'seccomp'
  | 'sysctls'
  | 'volumeTypes'
  | 'allowPrivilegeEscalation'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'restrictedCapabilities'
  | 'restrictedSeccomp';

/** One failed check. */
export interface PodSecurityViolation {
  /** The lowest level that forbids it. */
  readonly level: 'baseline' | 'restricted';
  readonly check: PodSecurityCheck;
  /** Where, relative to the pod template: `spec.containers[0].securityContext.privileged`. */
  readonly path: string;
  readonly message: string;
}

/** A pod template as found in a workload: its metadata (annotations) and pod spec. */
export interface PodTemplateView {
  /** Where the template sits in its object, e.g. `spec.template` or `spec.jobTemplate.spec.template`; '' for a Pod. */
  readonly path: string;
  readonly metadata?: Record<string, any>;
  readonly spec: Record<string, any>;
}

type Obj = Record<string, any>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Capabilities `baseline` lets a container add. */
export const BASELINE_ALLOWED_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
/** Sysctls `baseline` allows (the "safe" set as of v1.30). */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
/** SELinux types `baseline` allows (v1.30; `container_engine_t` came in v1.31). */
export const BASELINE_SELINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
/** Volume sources `restricted` allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
/** The Pod Security Admission label naming a namespace's enforced level. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * The enforced level of a namespace from its labels. A namespace without the label is
 * `privileged` (Pod Security Admission's default when the cluster sets none); an unknown value
 * yields undefined.
 */
export function namespacePodSecurityLevel(labels: Record<string, unknown> | undefined): PodSecurityLevel | undefined {
  const value = labels?.[POD_SECURITY_ENFORCE_LABEL];
  if (value === undefined) return 'privileged';
  return LEVELS.includes(value as PodSecurityLevel) ? (value as PodSecurityLevel) : undefined;
}

/**
 * The pod templates of a workload object: Pod, PodTemplate, Deployment, ReplicaSet,
 * ReplicationController, StatefulSet, DaemonSet, Job and CronJob. Other kinds have none.
 */
export function podTemplatesOf(object: Obj): PodTemplateView[] {
  const template = (path: string, node: unknown): PodTemplateView[] =>
    isObject(node) && isObject(node.spec) ? [{ path, metadata: isObject(node.metadata) ? node.metadata : undefined, spec: node.spec }] : [];
  switch (object.kind) {
    case 'Pod':
      return isObject(object.spec) ? [{ path: '', metadata: object.metadata, spec: object.spec }] : [];
    case 'PodTemplate':
      return template('template', object.template);
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return template('spec.template', object.spec?.template);
    case 'CronJob':
      return template('spec.jobTemplate.spec.template', object.spec?.jobTemplate?.spec?.template);
    default:
      return [];
  }
}

/** True for kinds {@link podTemplatesOf} knows. */
export function hasPodTemplate(kind: unknown): boolean {
  return ['Pod', 'PodTemplate', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(kind as string);
}

/**
 * Every check of `level` the pod (template) fails; empty when it passes. `privileged` passes
 * everything; `restricted` includes every `baseline` check.
 */
export function podSecurityViolations(pod: { metadata?: Obj; spec: Obj }, level: PodSecurityLevel): PodSecurityViolation[] {
  if (level === 'privileged') return [];
  const out: PodSecurityViolation[] = [];
  const spec = isObject(pod.spec) ? pod.spec : {};
  const add = (lvl: 'baseline' | 'restricted', check: PodSecurityCheck, path: string, message: string) => out.push({ level: lvl, check, path, message });
  const podSc: Obj = isObject(spec.securityContext) ? spec.securityContext : {};
  const containers = CONTAINER_LISTS.flatMap((list) =>
    (Array.isArray(spec[list]) ? (spec[list] as unknown[]) : []).map((container, index) => ({
      path: `spec.${list}[${index}]`,
      name: isObject(container) && typeof container.name === 'string' ? container.name : `#${index}`,
      container: isObject(container) ? container : {},
      sc: isObject(container) && isObject(container.securityContext) ? (container.securityContext as Obj) : ({} as Obj),
    })),
  );

  // ---- baseline ----
  if (podSc.windowsOptions?.hostProcess === true) add('baseline', 'hostProcess', 'spec.securityContext.windowsOptions.hostProcess', 'Windows HostProcess pods are not allowed');
  for (const c of containers) {
    if (c.sc.windowsOptions?.hostProcess === true)
      add('baseline', 'hostProcess', `${c.path}.securityContext.windowsOptions.hostProcess`, `container "${c.name}" must not be a Windows HostProcess container`);
  }
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) add('baseline', 'hostNamespaces', `spec.${field}`, `${field} must be unset or false`);
  }
  for (const c of containers) {
    if (c.sc.privileged === true) add('baseline', 'privileged', `${c.path}.securityContext.privileged`, `container "${c.name}" must not be privileged`);
    const added: unknown[] = Array.isArray(c.sc.capabilities?.add) ? c.sc.capabilities.add : [];
    const forbidden = added.filter((cap) => !BASELINE_ALLOWED_CAPABILITIES.includes(String(cap)));
    if (forbidden.length > 0) {
      add(
        'baseline',
        'capabilities',
        `${c.path}.securityContext.capabilities.add`,
        `container "${c.name}" adds ${forbidden.join(', ')}: baseline allows only ${BASELINE_ALLOWED_CAPABILITIES.join(', ')}`,
      );
    }
    const ports: unknown[] = Array.isArray(c.container.ports) ? c.container.ports : [];
    ports.forEach((port, index) => {
      if (isObject(port) && port.hostPort !== undefined && port.hostPort !== 0) {
        add('baseline', 'hostPorts', `${c.path}.ports[${index}].hostPort`, `container "${c.name}" must not use hostPort (got ${port.hostPort})`);
      }
    });
  }
  const volumes: Obj[] = (Array.isArray(spec.volumes) ? spec.volumes : []).map((v: unknown) => (isObject(v) ? v : {}));
  volumes.forEach((volume, index) => {
    if (volume.hostPath !== undefined) add('baseline', 'hostPathVolumes', `spec.volumes[${index}].hostPath`, `volume "${volume.name}" must not be a hostPath volume`);
  });
  // AppArmor: fields (GA in 1.30) and the beta annotations.
  const appArmorOk = (type: unknown) => type === undefined || type === 'RuntimeDefault' || type === 'Localhost';
  if (!appArmorOk(podSc.appArmorProfile?.type))
    add('baseline', 'appArmor', 'spec.securityContext.appArmorProfile.type', `AppArmor profile ${podSc.appArmorProfile.type} is not allowed (RuntimeDefault or Localhost)`);
  for (const c of containers) {
    if (!appArmorOk(c.sc.appArmorProfile?.type))
      add(
        'baseline',
        'appArmor',
        `${c.path}.securityContext.appArmorProfile.type`,
        `container "${c.name}": AppArmor profile ${c.sc.appArmorProfile.type} is not allowed (RuntimeDefault or Localhost)`,
      );
  }
  for (const [key, value] of Object.entries(isObject(pod.metadata?.annotations) ? pod.metadata!.annotations : {})) {
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/')))) {
      add('baseline', 'appArmor', `metadata.annotations["${key}"]`, `AppArmor annotation value ${JSON.stringify(value)} is not allowed (runtime/default or localhost/*)`);
    }
  }
  // SELinux
  const seLinux = (options: unknown, path: string, who: string) => {
    if (!isObject(options)) return;
    if (options.type !== undefined && !BASELINE_SELINUX_TYPES.includes(String(options.type))) {
      add(
        'baseline',
        'seLinux',
        `${path}.seLinuxOptions.type`,
        `${who}SELinux type ${JSON.stringify(options.type)} is not allowed (${BASELINE_SELINUX_TYPES.filter(Boolean).join(', ')})`,
      );
    }
    for (const field of ['user', 'role']) {
      if (options[field] !== undefined && options[field] !== '') add('baseline', 'seLinux', `${path}.seLinuxOptions.${field}`, `${who}SELinux ${field} must not be set`);
    }
  };
  seLinux(podSc.seLinuxOptions, 'spec.securityContext', '');
  for (const c of containers) seLinux(c.sc.seLinuxOptions, `${c.path}.securityContext`, `container "${c.name}": `);
  for (const c of containers) {
    if (c.sc.procMount !== undefined && c.sc.procMount !== 'Default')
      add('baseline', 'procMount', `${c.path}.securityContext.procMount`, `container "${c.name}": procMount must be Default (got ${c.sc.procMount})`);
  }
  if (podSc.seccompProfile?.type === 'Unconfined') add('baseline', 'seccomp', 'spec.securityContext.seccompProfile.type', 'seccomp profile must not be Unconfined');
  for (const c of containers) {
    if (c.sc.seccompProfile?.type === 'Unconfined')
      add('baseline', 'seccomp', `${c.path}.securityContext.seccompProfile.type`, `container "${c.name}": seccomp profile must not be Unconfined`);
  }
  (Array.isArray(podSc.sysctls) ? podSc.sysctls : []).forEach((sysctl: unknown, index: number) => {
    const name = isObject(sysctl) ? sysctl.name : undefined;
    if (!SAFE_SYSCTLS.includes(String(name))) add('baseline', 'sysctls', `spec.securityContext.sysctls[${index}].name`, `sysctl ${JSON.stringify(name)} is not in the safe set`);
  });

  if (level !== 'restricted') return out;

  // ---- restricted ----
  const windows = spec.os?.name === 'windows';
  volumes.forEach((volume, index) => {
    const sources = Object.keys(volume).filter((key) => key !== 'name');
    for (const source of sources) {
      if (!RESTRICTED_VOLUME_TYPES.includes(source)) {
        add(
          'restricted',
          'volumeTypes',
          `spec.volumes[${index}].${source}`,
          `volume "${volume.name}" uses ${source}: restricted allows only ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
        );
      }
    }
  });
  for (const c of containers) {
    if (!windows && c.sc.allowPrivilegeEscalation !== false) {
      add('restricted', 'allowPrivilegeEscalation', `${c.path}.securityContext.allowPrivilegeEscalation`, `container "${c.name}" must set allowPrivilegeEscalation to false`);
    }
  }
  // runAsNonRoot: true at pod level (containers may not override with false), or on every container.
  if (podSc.runAsNonRoot === false) add('restricted', 'runAsNonRoot', 'spec.securityContext.runAsNonRoot', 'runAsNonRoot must not be false');
  for (const c of containers) {
    if (c.sc.runAsNonRoot === false) add('restricted', 'runAsNonRoot', `${c.path}.securityContext.runAsNonRoot`, `container "${c.name}": runAsNonRoot must not be false`);
    else if (c.sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) {
      add('restricted', 'runAsNonRoot', `${c.path}.securityContext.runAsNonRoot`, `container "${c.name}" must set runAsNonRoot to true (or the pod securityContext must)`);
    }
  }
  if (podSc.runAsUser === 0) add('restricted', 'runAsUser', 'spec.securityContext.runAsUser', 'runAsUser must not be 0');
  for (const c of containers) {
    if (c.sc.runAsUser === 0) add('restricted', 'runAsUser', `${c.path}.securityContext.runAsUser`, `container "${c.name}": runAsUser must not be 0`);
  }
  if (!windows) {
    const podSeccomp = podSc.seccompProfile?.type;
    const allowed = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';
    if (podSeccomp !== undefined && !allowed(podSeccomp) && podSeccomp !== 'Unconfined') {
      add('restricted', 'restrictedSeccomp', 'spec.securityContext.seccompProfile.type', `seccomp profile must be RuntimeDefault or Localhost (got ${podSeccomp})`);
    }
    for (const c of containers) {
      const type = c.sc.seccompProfile?.type;
      if (type === 'Unconfined') continue; // already a baseline violation
      if (type !== undefined ? !allowed(type) : !allowed(podSeccomp)) {
        add(
          'restricted',
          'restrictedSeccomp',
          `${c.path}.securityContext.seccompProfile.type`,
          `container "${c.name}" must run with seccomp RuntimeDefault or Localhost (set on the container or the pod)`,
        );
      }
    }
    for (const c of containers) {
      const drop: unknown[] = Array.isArray(c.sc.capabilities?.drop) ? c.sc.capabilities.drop : [];
      if (!drop.includes('ALL')) add('restricted', 'restrictedCapabilities', `${c.path}.securityContext.capabilities.drop`, `container "${c.name}" must drop ALL capabilities`);
      const added: unknown[] = Array.isArray(c.sc.capabilities?.add) ? c.sc.capabilities.add : [];
      const extra = added.filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (extra.length > 0)
        add(
          'restricted',
          'restrictedCapabilities',
          `${c.path}.securityContext.capabilities.add`,
          `container "${c.name}" adds ${extra.join(', ')}: restricted allows only NET_BIND_SERVICE`,
        );
    }
  }
  return out;
}

/** `podSecurityViolations` for every pod template of a workload object, paths prefixed with the template's. */
export function workloadPodSecurityViolations(object: Obj, level: PodSecurityLevel): PodSecurityViolation[] {
  return podTemplatesOf(object).flatMap((template) =>
    podSecurityViolations(template, level).map((violation) => ({
      ...violation,
      path: template.path ? `${template.path}.${violation.path}` : violation.path,
    })),
  );
}
