import { Construct } from './cdktf';

/** A Helm values tree (plain JSON data; Terraform tokens allowed as leaf strings). */
export type HelmValues = { [key: string]: unknown };

/**
 * What an add-on learns about the Kong platform it joins.
 * Built once by `KongPlatform` and handed to every add-on.
 */
export interface PlatformContext {
  /** Environment name, e.g. `aws-dev`. */
  readonly environment: string;
  /** Production environments get the strict checks and the HA profile. */
  readonly production: boolean;
  /** Namespace the Kong gateway and controller run in. */
  readonly systemNamespace: string;
  /** Helm release name of the Kong gateway (its proxy Service is `<name>-kong-proxy`). */
  readonly gatewayReleaseName: string;
  /** Helm release name of the Kong Ingress Controller. */
  readonly controllerReleaseName: string;
  /** Application (team) namespaces whose Services Kong routes to. */
  readonly applicationNamespaces: string[];
  /** Names of the custom plugins loaded into the gateway. @default none */
  readonly customPlugins?: readonly string[];
}

/**
 * A small, self-contained piece of the platform (AWS load balancer controller, Azure edge
 * wiring, Kong Mesh, Konnect, API configuration, ...). Modelled on cdk-eks-blueprints add-ons:
 * each add-on lives in its own folder with its values builder, and `KongPlatform` calls the
 * hooks below in a fixed order:
 *   1. `gatewayValues` / `controllerValues` for every add-on (merged in add-on order onto the
 *      computed values, before the environment's own `extraValues` overrides);
 *   2. `deploy` for every add-on, after the Kong releases exist.
 */
export interface PlatformAddOn {
  /** Unique, stable id; also the construct id of what `deploy` creates. */
  readonly id: string;
  /** Helm values this add-on contributes to the gateway release. */
  gatewayValues?(context: PlatformContext): HelmValues;
  /** Helm values this add-on contributes to the controller (KIC) release. */
  controllerValues?(context: PlatformContext): HelmValues;
  /** Labels this add-on puts on the Kong namespace and on the application namespaces. */
  namespaceLabels?(context: PlatformContext): { system?: Record<string, string>; applications?: Record<string, string> };
  /** Extra egress the gateway pods need (CIDR + TCP ports), e.g. to a SaaS control plane. */
  gatewayEgress?(context: PlatformContext): Array<{ cidr: string; ports: number[] }>;
  /**
   * Extra ingress the gateway pods must admit (source CIDRs + TCP ports), e.g. a load balancer's
   * target health checks on the status port.
   */
  gatewayIngress?(context: PlatformContext): Array<{ cidrs: string[]; ports: number[]; reason: string }>;
  /**
   * True when this add-on installs per-service ingress policies in the application namespaces
   * (e.g. a mesh traffic matrix), so the platform drops its broader "Kong gateway may reach
   * every pod of an application namespace" policy. @default false
   */
  providesApplicationIngressPolicies?(context: PlatformContext): boolean;
  /**
   * False when this add-on replaces the in-cluster controller (e.g. a control plane that
   * configures the data planes itself). @default true
   */
  needsIngressController?(context: PlatformContext): boolean;
  /**
   * Problems in the add-on's own props, now that it knows the platform it joins (its namespaces,
   * custom plugins, production). `KongPlatform` reports them with its own, in one error, before
   * anything is created. `field` is relative to the add-on's props. @default no problems
   */
  validate?(context: PlatformContext): Array<{ field: string; value: unknown; message: string }>;
  /**
   * Creates the add-on's resources under `scope`. `kongReleases` are the gateway and
   * controller releases, for `dependsOn` where the add-on needs Kong running first.
   */
  deploy?(scope: Construct, context: PlatformContext, kongReleases: KongReleases): void;
}

/** The two Kong Helm releases, for add-ons that must be ordered after them. */
export interface KongReleases {
  readonly gateway: import('@cdktf/provider-helm/lib/release').Release;
  /** Undefined when an add-on replaced the in-cluster controller. */
  readonly controller?: import('@cdktf/provider-helm/lib/release').Release;
}
