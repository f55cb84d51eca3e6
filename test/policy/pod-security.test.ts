import { PodSecurityCheck, namespacePodSecurityLevel, podSecurityViolations, podTemplatesOf, workloadPodSecurityViolations } from '../../constructs/policy';

type Obj = Record<string, any>;

/** A pod that passes `restricted`; `change` edits a copy of it. */
function restrictedPod(change: (pod: { metadata: Obj; spec: Obj }) => void = () => undefined) {
  const pod = {
    metadata: { annotations: {} as Obj },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'init', image: 'i', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      containers: [
        {
          name: 'app',
          image: 'i',
          ports: [{ containerPort: 8000 }],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, readOnlyRootFilesystem: true },
        },
      ],
      volumes: [
        { name: 'tmp', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'c' } },
        { name: 'tok', projected: { sources: [] } },
      ],
    } as Obj,
  };
  change(pod);
  return pod;
}

const app = (pod: { spec: Obj }) => pod.spec.containers[0];
const checks = (pod: { metadata?: Obj; spec: Obj }, level: 'baseline' | 'restricted') => podSecurityViolations(pod, level).map((v) => `${v.level}/${v.check} ${v.path}`);

describe('Pod Security Standards: the compliant pod', () => {
  test('passes restricted, baseline and privileged', () => {
    expect(checks(restrictedPod(), 'restricted')).toEqual([]);
    expect(checks(restrictedPod(), 'baseline')).toEqual([]);
    expect(podSecurityViolations({ spec: { hostNetwork: true, containers: [{ name: 'x', securityContext: { privileged: true } }] } }, 'privileged')).toEqual([]);
  });

  test('container-level runAsNonRoot and seccomp satisfy restricted without a pod-level setting', () => {
    const pod = restrictedPod((p) => {
      p.spec.securityContext = {};
      for (const c of [...p.spec.containers, ...p.spec.initContainers])
        Object.assign(c.securityContext, { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } });
    });
    expect(checks(pod, 'restricted')).toEqual([]);
  });
});

/** One violating change per check: [check, level, change, expected path]. */
const VIOLATIONS: Array<[PodSecurityCheck, 'baseline' | 'restricted', (pod: { metadata: Obj; spec: Obj }) => void, string]> = [
  ['hostProcess', 'baseline', (p) => (p.spec.securityContext.windowsOptions = { hostProcess: true }), 'spec.securityContext.windowsOptions.hostProcess'],
  ['hostProcess', 'baseline', (p) => (app(p).securityContext.windowsOptions = { hostProcess: true }), 'spec.containers[0].securityContext.windowsOptions.hostProcess'],
  ['hostNamespaces', 'baseline', (p) => (p.spec.hostNetwork = true), 'spec.hostNetwork'],
  ['hostNamespaces', 'baseline', (p) => (p.spec.hostPID = true), 'spec.hostPID'],
  ['hostNamespaces', 'baseline', (p) => (p.spec.hostIPC = true), 'spec.hostIPC'],
  ['privileged', 'baseline', (p) => (p.spec.initContainers[0].securityContext.privileged = true), 'spec.initContainers[0].securityContext.privileged'],
  ['capabilities', 'baseline', (p) => (app(p).securityContext.capabilities.add = ['NET_ADMIN']), 'spec.containers[0].securityContext.capabilities.add'],
  ['hostPathVolumes', 'baseline', (p) => p.spec.volumes.push({ name: 'h', hostPath: { path: '/var/run' } }), 'spec.volumes[3].hostPath'],
  ['hostPorts', 'baseline', (p) => (app(p).ports[0].hostPort = 8000), 'spec.containers[0].ports[0].hostPort'],
  ['appArmor', 'baseline', (p) => (p.spec.securityContext.appArmorProfile = { type: 'Unconfined' }), 'spec.securityContext.appArmorProfile.type'],
  ['appArmor', 'baseline', (p) => (app(p).securityContext.appArmorProfile = { type: 'Unconfined' }), 'spec.containers[0].securityContext.appArmorProfile.type'],
  [
    'appArmor',
    'baseline',
    (p) => (p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'),
    'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
  ],
  ['seLinux', 'baseline', (p) => (p.spec.securityContext.seLinuxOptions = { type: 'spc_t' }), 'spec.securityContext.seLinuxOptions.type'],
  ['seLinux', 'baseline', (p) => (app(p).securityContext.seLinuxOptions = { user: 'system_u' }), 'spec.containers[0].securityContext.seLinuxOptions.user'],
  ['seLinux', 'baseline', (p) => (app(p).securityContext.seLinuxOptions = { role: 'sysadm_r' }), 'spec.containers[0].securityContext.seLinuxOptions.role'],
  ['seLinux', 'baseline', (p) => (app(p).securityContext.seLinuxOptions = { type: 'container_engine_t' }), 'spec.containers[0].securityContext.seLinuxOptions.type'],
  ['procMount', 'baseline', (p) => (app(p).securityContext.procMount = 'Unmasked'), 'spec.containers[0].securityContext.procMount'],
  ['seccomp', 'baseline', (p) => (app(p).securityContext.seccompProfile = { type: 'Unconfined' }), 'spec.containers[0].securityContext.seccompProfile.type'],
  ['seccomp', 'baseline', (p) => (p.spec.securityContext.seccompProfile = { type: 'Unconfined' }), 'spec.securityContext.seccompProfile.type'],
  [
    'sysctls',
    'baseline',
    (p) =>
      (p.spec.securityContext.sysctls = [
        { name: 'net.ipv4.tcp_syncookies', value: '1' },
        { name: 'kernel.msgmax', value: '1' },
      ]),
    'spec.securityContext.sysctls[1].name',
  ],
  ['volumeTypes', 'restricted', (p) => p.spec.volumes.push({ name: 'n', nfs: { server: 's', path: '/' } }), 'spec.volumes[3].nfs'],
  ['allowPrivilegeEscalation', 'restricted', (p) => delete app(p).securityContext.allowPrivilegeEscalation, 'spec.containers[0].securityContext.allowPrivilegeEscalation'],
  [
    'allowPrivilegeEscalation',
    'restricted',
    (p) => (p.spec.initContainers[0].securityContext.allowPrivilegeEscalation = true),
    'spec.initContainers[0].securityContext.allowPrivilegeEscalation',
  ],
  ['runAsNonRoot', 'restricted', (p) => delete p.spec.securityContext.runAsNonRoot, 'spec.containers[0].securityContext.runAsNonRoot'],
  ['runAsNonRoot', 'restricted', (p) => (app(p).securityContext.runAsNonRoot = false), 'spec.containers[0].securityContext.runAsNonRoot'],
  ['runAsUser', 'restricted', (p) => (app(p).securityContext.runAsUser = 0), 'spec.containers[0].securityContext.runAsUser'],
  ['runAsUser', 'restricted', (p) => (p.spec.securityContext.runAsUser = 0), 'spec.securityContext.runAsUser'],
  ['restrictedSeccomp', 'restricted', (p) => delete p.spec.securityContext.seccompProfile, 'spec.containers[0].securityContext.seccompProfile.type'],
  ['restrictedCapabilities', 'restricted', (p) => (app(p).securityContext.capabilities.drop = ['NET_RAW']), 'spec.containers[0].securityContext.capabilities.drop'],
  ['restrictedCapabilities', 'restricted', (p) => (app(p).securityContext.capabilities.add = ['CHOWN']), 'spec.containers[0].securityContext.capabilities.add'],
];

describe.each(VIOLATIONS)('Pod Security Standards check %s (%s)', (check, level, change, path) => {
  test(`flags ${path}`, () => {
    const violations = podSecurityViolations(restrictedPod(change), 'restricted');
    expect(violations).toContainEqual(expect.objectContaining({ check, level, path }));
    if (level === 'restricted') {
      // allowed under baseline
      expect(podSecurityViolations(restrictedPod(change), 'baseline')).toEqual([]);
    } else {
      expect(podSecurityViolations(restrictedPod(change), 'baseline')).toContainEqual(expect.objectContaining({ check, path }));
    }
  });
});

describe('Pod Security Standards: allowed values', () => {
  test('baseline allows its capabilities, safe sysctls, RuntimeDefault/Localhost AppArmor and container SELinux types', () => {
    const pod = restrictedPod((p) => {
      app(p).securityContext.capabilities.add = ['CHOWN', 'NET_BIND_SERVICE', 'SETUID'];
      p.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }];
      p.spec.securityContext.appArmorProfile = { type: 'Localhost', localhostProfile: 'k' };
      p.spec.securityContext.seLinuxOptions = { type: 'container_init_t', level: 's0:c1,c2' };
      p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'localhost/k';
      p.spec.volumes.push({ name: 'h', hostPath: { path: '/x' } });
      delete p.spec.securityContext.runAsNonRoot;
    });
    expect(checks(pod, 'baseline')).toEqual(['baseline/hostPathVolumes spec.volumes[3].hostPath']);
  });

  test('restricted skips the Linux-only checks for Windows pods', () => {
    const pod = restrictedPod((p) => {
      p.spec.os = { name: 'windows' };
      delete app(p).securityContext.allowPrivilegeEscalation;
      delete app(p).securityContext.capabilities;
      delete p.spec.securityContext.seccompProfile;
    });
    expect(checks(pod, 'restricted')).toEqual([]);
  });
});

describe('namespaces and workloads', () => {
  test('the enforce label gives the level; no label is privileged; a bad value is undefined', () => {
    expect(namespacePodSecurityLevel({ 'pod-security.kubernetes.io/enforce': 'restricted' })).toBe('restricted');
    expect(namespacePodSecurityLevel({ 'pod-security.kubernetes.io/enforce': 'baseline' })).toBe('baseline');
    expect(namespacePodSecurityLevel({})).toBe('privileged');
    expect(namespacePodSecurityLevel(undefined)).toBe('privileged');
    expect(namespacePodSecurityLevel({ 'pod-security.kubernetes.io/enforce': 'strict' })).toBeUndefined();
  });

  test('pod templates are found in every workload kind', () => {
    const { metadata, spec } = restrictedPod();
    const template = { metadata, spec };
    const kinds: Record<string, Obj> = {
      Pod: { kind: 'Pod', metadata, spec },
      PodTemplate: { kind: 'PodTemplate', template },
      Deployment: { kind: 'Deployment', spec: { template } },
      ReplicaSet: { kind: 'ReplicaSet', spec: { template } },
      ReplicationController: { kind: 'ReplicationController', spec: { template } },
      StatefulSet: { kind: 'StatefulSet', spec: { template } },
      DaemonSet: { kind: 'DaemonSet', spec: { template } },
      Job: { kind: 'Job', spec: { template } },
      CronJob: { kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } },
    };
    for (const [kind, object] of Object.entries(kinds)) expect({ kind, found: podTemplatesOf(object).length }).toEqual({ kind, found: 1 });
    expect(podTemplatesOf({ kind: 'Service', spec: {} })).toEqual([]);
  });

  test('workload violations carry the template path', () => {
    const { metadata, spec } = restrictedPod((p) => (p.spec.hostPID = true));
    const cronJob = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { metadata, spec } } } } };
    expect(workloadPodSecurityViolations(cronJob, 'baseline')).toEqual([
      { level: 'baseline', check: 'hostNamespaces', path: 'spec.jobTemplate.spec.template.spec.hostPID', message: 'hostPID must be unset or false' },
    ]);
  });
});
