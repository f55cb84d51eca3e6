import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ConsumerGroupConfig, ConsumerGroupConfigInput, TenantConfig, TenantConfigInput, apiKeyVariableName, consumerGroupSchema, tenantSchema } from './apis-section';
import { Construct, TerraformStack, TerraformVariable } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import { KubernetesObject, ManifestChart } from '../manifest-chart';
import { attachPlugins } from './plugin-attachments';
import { INGRESS_CLASS_ANNOTATION, KONG_CONFIGURATION_V1, KONG_CONFIGURATION_V1BETA1, PLUGINS_ANNOTATION } from './plugin-resources';
import { BuildPluginContext } from './plugins';

/** Label KIC 3.x reads the credential type from. */
export const CREDENTIAL_LABEL = 'konghq.com/credential';
/** Annotation KIC turns into Kong entity tags. */
export const TAGS_ANNOTATION = 'konghq.com/tags';
/** Shortest API key the key variables accept. */
export const MIN_API_KEY_LENGTH = 32;

/** Properties of {@link KongConsumers}. */
export interface KongConsumersProps {
  /** Tenants and their consumers. @default none */
  readonly tenants?: TenantConfigInput[];
  /** Consumer groups. @default none */
  readonly consumerGroups?: ConsumerGroupConfigInput[];
  /** Chart that receives the KongConsumers, groups, plugins and public credentials. */
  readonly chart: ManifestChart;
  /** Ingress class of the Kong resources. */
  readonly ingressClass: string;
  /** Production (stricter plugin options). @default false */
  readonly production?: boolean;
  /** CA certificate name -> Kong id, for plugins that need it. */
  readonly caCertificateId: (name: string) => string;
  /** Labels on every generated object. @default none */
  readonly labels?: Record<string, string>;
  /** What the key Secrets wait for (the namespaces). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** Name of the Terraform variable holding one consumer's API key. */
export { apiKeyVariableName };

/**
 * Tenants, consumers and consumer groups as KongConsumer / KongConsumerGroup resources.
 *
 * Credentials: public ones (ACL groups, JWT issuer public keys, mTLS subject names) are Secrets
 * in the chart. API keys never are: each consumer's key Secret is a `kubernetes_secret_v1` fed
 * from a sensitive Terraform variable (`TF_VAR_apikey_<tenant>_<consumer>`), or an existing
 * Secret the team manages; the chart only references it by name.
 */
export class KongConsumers extends Construct {
  /** Validated tenants. */
  public readonly tenants: TenantConfig[];
  /** Validated consumer groups. */
  public readonly consumerGroups: ConsumerGroupConfig[];
  /** API key Secrets created from variables, by consumer username. */
  public readonly keySecrets: Record<string, SecretV1> = {};
  /** API key variables, by consumer username. */
  public readonly keyVariables: Record<string, TerraformVariable> = {};

  constructor(scope: Construct, id: string, props: KongConsumersProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/managed-by': 'kong-platform', ...(props.labels ?? {}) };
    const context: BuildPluginContext = { production: props.production ?? false, caCertificateId: props.caCertificateId };
    const classAnnotation = { [INGRESS_CLASS_ANNOTATION]: props.ingressClass };
    this.consumerGroups = (props.consumerGroups ?? []).map((group, i) => this.parse(`consumerGroups.${i}`, consumerGroupSchema, group));
    this.tenants = (props.tenants ?? []).map((tenant, i) => this.parse(`tenants.${i}`, tenantSchema, tenant));
    const objects: KubernetesObject[] = [];

    const groupKeys = new Set<string>();
    this.consumerGroups.forEach((group, i) => {
      groupKeys.add(`${group.namespace}/${group.name}`);
      const plugins = attachPlugins(this, `consumerGroups.${i}.plugins`, group.name, group.namespace, group.plugins, context, labels);
      objects.push(...plugins.objects, {
        apiVersion: KONG_CONFIGURATION_V1BETA1,
        kind: 'KongConsumerGroup',
        metadata: {
          name: group.name,
          namespace: group.namespace,
          labels,
          annotations: { ...classAnnotation, ...(plugins.names.length > 0 ? { [PLUGINS_ANNOTATION]: plugins.names.join(',') } : {}) },
        },
      });
    });

    const usernames = new Set<string>();
    this.tenants.forEach((tenant, t) => {
      tenant.consumers.forEach((consumer, c) => {
        const where = `tenants.${t}.consumers.${c}`;
        if (usernames.has(consumer.username)) throw new Error(`${this.node.path}: ${where}.username: "${consumer.username}" is declared twice; Kong usernames are unique`);
        usernames.add(consumer.username);
        for (const group of consumer.consumerGroups) {
          if (!groupKeys.has(`${tenant.namespace}/${group}`)) {
            throw new Error(`${this.node.path}: ${where}.consumerGroups: unknown consumer group "${group}" in namespace "${tenant.namespace}"`);
          }
        }
        const credentialLabels = (type: string) => ({ ...labels, [CREDENTIAL_LABEL]: type });
        const credentials: string[] = [];
        const secret = (suffix: string, type: string, stringData: Record<string, string>): void => {
          const name = `${consumer.username}-${suffix}`.slice(0, 63).replace(/-+$/, '');
          objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: tenant.namespace, labels: credentialLabels(type) }, type: 'Opaque', stringData });
          credentials.push(name);
        };

        if (consumer.keyAuth) {
          credentials.push(consumer.keyAuth.existingSecret ?? this.keySecret(tenant.name, tenant.namespace, consumer.username, credentialLabels('key-auth'), props.dependsOn));
        }
        consumer.aclGroups.forEach((group) => secret(`acl-${group}`, 'acl', { group }));
        if (consumer.jwt) {
          secret('jwt', 'jwt', { key: consumer.jwt.issuer, algorithm: consumer.jwt.algorithm, rsa_public_key: consumer.jwt.publicKey.trim() + '\n' });
        }
        if (consumer.mtlsSubjectName) secret('mtls-auth', 'mtls-auth', { subject_name: consumer.mtlsSubjectName });

        const plugins = attachPlugins(this, `${where}.plugins`, consumer.username, tenant.namespace, consumer.plugins, context, labels);
        objects.push(...plugins.objects, {
          apiVersion: KONG_CONFIGURATION_V1,
          kind: 'KongConsumer',
          metadata: {
            name: consumer.username,
            namespace: tenant.namespace,
            labels: { ...labels, 'kong-platform/tenant': tenant.name },
            annotations: {
              ...classAnnotation,
              [TAGS_ANNOTATION]: `tenant:${tenant.name}`,
              ...(plugins.names.length > 0 ? { [PLUGINS_ANNOTATION]: plugins.names.join(',') } : {}),
            },
          },
          username: consumer.username,
          ...(consumer.customId ? { custom_id: consumer.customId } : {}),
          ...(credentials.length > 0 ? { credentials } : {}),
          ...(consumer.consumerGroups.length > 0 ? { consumerGroups: consumer.consumerGroups } : {}),
        });
      });
    });
    props.chart.addManifest(...objects);
  }

  /** The key-auth Secret of one consumer, from a sensitive variable; returns its name. */
  private keySecret(tenant: string, namespace: string, username: string, labels: Record<string, string>, dependsOn?: ITerraformDependable[]): string {
    const variableName = apiKeyVariableName(tenant, username);
    const variable = new TerraformVariable(TerraformStack.of(this), variableName, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `API key of consumer ${username} (tenant ${tenant}). Set TF_VAR_${variableName}; never write it in a file. See docs/apis.md.`,
      validation: [
        {
          condition: `\${length(var.${variableName}) >= ${MIN_API_KEY_LENGTH}}`,
          errorMessage: `${variableName} must be at least ${MIN_API_KEY_LENGTH} characters (e.g. openssl rand -hex 32).`,
        },
      ],
    });
    const name = `${username}-key-auth`.slice(0, 63).replace(/-+$/, '');
    this.keyVariables[username] = variable;
    this.keySecrets[username] = new SecretV1(this, `${username}-key-auth`, {
      metadata: { name, namespace, labels },
      type: 'Opaque',
      data: { key: variable.stringValue },
      dependsOn,
    });
    return name;
  }

  private parse<S extends typeof tenantSchema | typeof consumerGroupSchema>(where: string, schema: S, value: unknown): any {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${this.node.path}: ${where}.${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  }
}
