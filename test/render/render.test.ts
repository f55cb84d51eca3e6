/**
 * Render harness over the sample environments (environments/*.yaml): see harness.ts.
 *
 * Per environment: the platform stack is synthesized to disk, every generated chart is linted
 * and rendered once with its release's values, every object (rendered, or created through the
 * kubernetes provider) is validated, and every pod template is checked against its namespace's
 * Pod Security level. Upstream charts without a vendored copy show as counted `test.todo`s, and
 * so do the known findings (known-findings.ts).
 */
import * as path from 'path';
import { loadEnvironments } from '../../config/load';
import { KUBERNETES_SCHEMA_VERSION, KUBERNETES_VALUES_SCHEMA_VERSION } from '../support/k8s-schema';
import { REPO_ROOT, describeWithHelm } from '../support/helm';
import { ObjectValidator, PlatformReport, VENDORED_CHARTS_DIR, checkPlatform, findingLine, helmReleases, samplePlatform } from './harness';
import { KNOWN_FINDINGS } from './known-findings';
import { kongEnvDrift } from '../support/kong-env-drift';
import { clusterKubernetesVersion } from '../../constructs/core/kubernetes-version';
import { MONITORING_NAMESPACE_LABEL } from '../../constructs/kubernetes/kong-network-policies';
import { podSecurityExceptionFor } from '../../constructs/policy/pod-security-exceptions';
import {
  clusterStackJson,
  kubectlSkewProblems,
  plainHttpLoadBalancerProblems,
  policyDriftProblems,
  providerObjects,
  pullSecretProblems,
  renderedObjects,
  statusPortProblems,
  targetGroupDrainProblems,
  webhookAvailabilityProblems,
} from './rendered-checks';

const PLUGINS = path.join(REPO_ROOT, 'plugins');
const environments = loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS });

describeWithHelm(`render harness (Kubernetes v${KUBERNETES_SCHEMA_VERSION} schemas, v${KUBERNETES_VALUES_SCHEMA_VERSION} value checks, upstream CRDs, Pod Security)`, (helm) => {
  test('there are sample environments to render', () => {
    expect(environments.length).toBeGreaterThan(0);
  });

  for (const env of environments) {
    describe(env.name, () => {
      // Read while collecting, so each upstream release without a vendored chart can be listed as
      // its own todo; rendering and checks run in the tests.
      const platform = samplePlatform(env.name);
      const releases = helmReleases(platform);
      let report: PlatformReport | undefined;
      const run = () => (report ??= checkPlatform(platform, helm(), validator()));

      test('every generated chart passes helm lint --strict and renders with its release values', () => {
        const generated = releases.filter((release) => release.source === 'generated');
        const result = run();
        expect(result.rendered.filter((r) => r.release.source === 'generated').map((r) => r.release.id)).toEqual(generated.map((r) => r.id));
        for (const rendered of result.rendered) {
          expect({ release: rendered.release.id, lint: rendered.lintProblems }).toEqual({ release: rendered.release.id, lint: [] });
          expect({ release: rendered.release.id, rendersObjects: rendered.objects.length > 0 }).toEqual({ release: rendered.release.id, rendersObjects: true });
        }
      });

      test('every object is valid, every pod template meets its namespace Pod Security level; only known findings remain', () => {
        const result = run();
        const lines = result.findings.map(findingLine);
        const known = KNOWN_FINDINGS.filter((entry) => entry.environments.includes(env.name));
        const unexpected = lines.filter((line) => !known.some((entry) => entry.match.test(line)));
        const stale = known.filter((entry) => !lines.some((line) => entry.match.test(line))).map((entry) => `no longer found, remove from known-findings.ts: ${entry.reason}`);
        expect({ unexpected, stale }).toEqual({ unexpected: [], stale: [] });
        expect(result.counts.objects).toBeGreaterThan(0);
        // eslint-disable-next-line no-console
        console.log(
          `${platform.stackName}: ${result.rendered.length} chart(s) rendered, ${result.notRendered.length} upstream chart(s) not vendored; ` +
            `${result.counts.objects} object(s) validated (${result.counts.builtIn} built-in, ${result.counts.custom} custom, ` +
            `${result.counts.terraformObjects} from the kubernetes provider), ${result.counts.podTemplates} pod template(s) checked; ` +
            `${result.findings.length} known finding(s)`,
        );
      });

      describe('rendered objects (the render defects of issue 19)', () => {
        const objects = () => renderedObjects(run());
        const stackObjects = () => providerObjects(platform.json);
        const cluster = () => clusterStackJson(run());

        test('with a registry pull secret every pod can pull: the secret on the pod or its service account, and in its namespace', () => {
          // GIVEN the environment's pull secret (on-prem: regcred, provisioned in the Kong namespace)
          if (!env.images.pullSecret) return expect(env.images.pullSecret).toBeUndefined();
          // THEN every rendered pod (Kong, the mesh control plane, its CNI and hook jobs) gets it
          expect(pullSecretProblems(objects(), stackObjects(), env.images.pullSecret, env.namespaces.system)).toEqual([]);
        });

        test('EKS: the Kong pods get the ALB readiness gate and the target group drains before their grace period ends', () => {
          const bindings = objects().filter((o) => o.object.kind === 'TargetGroupBinding');
          expect(bindings.length).toBe(env.cloud === 'aws' ? 1 : 0);
          const delay = Object.values((cluster()?.resource?.aws_lb_target_group ?? {}) as Record<string, any>).map((tg) => Number(tg.deregistration_delay))[0];
          expect(targetGroupDrainProblems(objects(), stackObjects(), delay)).toEqual([]);
        });

        test('load balancer Services publish TLS only (no port 80 -> 8000)', () => {
          expect(plainHttpLoadBalancerProblems(objects())).toEqual([]);
        });

        test("Kong's status/metrics port is reachable only from the load balancer health checks and the monitoring namespace", () => {
          // GIVEN the health-check sources: the ALB's public subnets on AWS, none elsewhere (Azure probes Kong through the proxy port)
          const publicSubnets = Object.values((cluster()?.resource?.aws_subnet ?? {}) as Record<string, any>)
            .filter((subnet) => subnet.tags?.['kubernetes.io/role/elb'] === '1')
            .map((subnet) => String(subnet.cidr_block));
          expect(publicSubnets.length).toBe(env.cloud === 'aws' ? env.aws!.availabilityZoneCount : 0);
          // THEN
          expect(statusPortProblems(stackObjects(), env.namespaces.system, { 'app.kubernetes.io/instance': 'kong-gateway' }, publicSubnets, MONITORING_NAMESPACE_LABEL)).toEqual(
            [],
          );
        });

        test('admission webhooks that fail closed are served by at least two replicas', () => {
          expect(webhookAvailabilityProblems(objects())).toEqual([]);
        });

        test("kubectl in the chart hooks is the cluster's Kubernetes minor", () => {
          expect(kubectlSkewProblems(objects(), clusterKubernetesVersion(env))).toEqual([]);
        });

        test('the policy reads the Kong and controller settings the kong chart renders (the KONG_* and CONTROLLER_* environment)', () => {
          // GIVEN the policy's model of each kong release's settings (env, customEnv, chart defaults; no helm)
          const kong = run().rendered.filter((r) => r.release.chart === 'kong' && r.release.source === 'upstream');
          expect(kong.length).toBe(2);
          // THEN it is exactly the environment of the rendered gateway and controller containers
          for (const rendered of kong) {
            const attributes = Object.values(platform.json.resource.helm_release as Record<string, any>).find((r) => r.name === rendered.release.name);
            const { problems, containers } = kongEnvDrift(attributes, {}, rendered.objects);
            expect({ release: rendered.release.id, containers: containers > 0, problems }).toEqual({ release: rendered.release.id, containers: true, problems: [] });
          }
        });

        test('the policy guardrails see the containers the charts render, with the security contexts they render', () => {
          // GIVEN the policy's model of each upstream release (values over chart defaults, no helm)
          // THEN it matches the rendered pods: same images, same security context settings
          expect(policyDriftProblems(run())).toEqual([]);
        });

        test('the pods that cannot be restricted are exactly the documented exceptions (the mesh CNI)', () => {
          const cni = objects().filter((o) => o.object.kind === 'DaemonSet' && o.object.metadata.name === 'kuma-cni-node');
          expect(cni.length).toBe(env.mesh?.enabled && env.mesh.cni.enabled ? 1 : 0);
          expect(run().counts.exceptions).toBe(cni.length);
          for (const o of cni) expect(podSecurityExceptionFor(o.object, o.namespace)?.id).toBe('kuma-cni');
        });
      });

      for (const release of releases.filter((r) => r.source === 'upstream' && !r.chartDirectory)) {
        test.todo(
          `${release.id}: render upstream chart ${release.chart} ${release.version} (${release.repository}): not vendored at ` +
            `${path.relative(REPO_ROOT, VENDORED_CHARTS_DIR)}/${release.chart}-${release.version}/ (templates not available offline), so its objects and pod templates are not checked`,
        );
      }
      for (const entry of KNOWN_FINDINGS.filter((e) => e.environments.includes(env.name))) {
        test.todo(`known finding: ${entry.reason}`);
      }
    });
  }
});

let sharedValidator: ObjectValidator | undefined;
const validator = () => (sharedValidator ??= new ObjectValidator());
