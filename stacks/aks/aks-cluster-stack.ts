import { KongPlatformBaseStack } from '../base-stack';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Construct, TerraformOutput } from '../../constructs/core/cdktf';
import { AksClusterConnection } from '../../constructs/azure/aks-cluster-access';
import { HardenedAksCluster } from '../../constructs/azure/aks-cluster';
import { ApplicationGatewayEdge } from '../../constructs/azure/application-gateway-edge';
import { ProxyCertificate, ProxyCertificateIssuer } from '../../constructs/azure/azure-edge-add-on';
import { AzureContainerRegistry } from '../../constructs/azure/container-registry';
import { KongBackendCertificate } from '../../constructs/azure/kong-backend-certificate';
import { LogAnalytics } from '../../constructs/azure/log-analytics';
import { AzureNetwork } from '../../constructs/azure/network';
import type { AzureSection } from '../../config/sections/azure';
import { configureBackend, StateBackend } from '../backend';
import { aksEnvironmentProblems } from '../../constructs/azure/aks-environment-rules';
import { PropsValidationError } from '../../constructs/core/validation';
import { azureTags, createAzurermProvider } from './azure-provider';

/** Props of {@link AksClusterStack}. */
export interface AksClusterStackProps {
  /** Environment name, e.g. `azure-prod`; resource names derive from it. */
  readonly environment: string;
  /** Production: 3 zones, private registry, no open API server, destroy protection, Standard tier. */
  readonly production: boolean;
  /** The environment's `azure:` section (defaults applied). */
  readonly azure: AzureSection;
  /**
   * Where the state lives (the environment's `backend`; azurerm for shared use).
   * @default Terraform's default local backend
   */
  readonly backend?: StateBackend;
  /**
   * Host names Kong serves besides `azure.edge.hostName` (route hosts): the gateway's listeners
   * take them and Kong's backend certificate covers them (the gateway sends the client's host as SNI).
   * @default none
   */
  readonly edgeHostNames?: string[];
}

/** Default resource group of an environment. */
export const defaultResourceGroupName = (environment: string) => `rg-kong-${environment}`;

/**
 * `<env>-cluster`: everything Azure-side of an environment, azurerm (and tls) providers only.
 * Resource group, VNet with node / gateway / private-endpoint subnets and NSGs, hardened AKS
 * (Entra ID + Azure RBAC, private API server, Cilium, Azure Policy, Container Insights,
 * workload identity, zone-spread autoscaled pools, automatic upgrades), a private Premium ACR
 * with AcrPull for the kubelet, Log Analytics, and the Internet edge: Application Gateway
 * WAF_v2 whose backend is Kong's internal load balancer at a fixed address.
 *
 * The fixed address (`azure.edge.kongInternalLoadBalancerIp`, in the node subnet) is the
 * contract between the two stacks: the gateway's backend pool targets it here, and the
 * platform stack's {@link AzureEdgeAddOn} asks the Azure cloud provider for exactly that
 * frontend address on Kong's proxy Service. The public attributes are what the platform stack
 * references (cdktf wires them as sensitive remote-state outputs).
 */
export class AksClusterStack extends KongPlatformBaseStack implements AksClusterConnection {
  /** AKS cluster name. */
  public readonly clusterName: string;
  /** AKS cluster resource id. */
  public readonly clusterId: string;
  /** Kubernetes API server URL (from the kube config: sensitive). */
  public readonly clusterHost: string;
  /** Base64 cluster CA certificate (from the kube config: sensitive). */
  public readonly clusterCaCertificate: string;
  /** Service account token issuer (workload identity federation). */
  public readonly oidcIssuerUrl: string;
  /** Resource group of everything in this stack (a literal). */
  public readonly resourceGroupName: string;
  /** Azure region (a literal). */
  public readonly location: string;
  /** Application Gateway subnet (a literal): Kong's trusted_ips. */
  public readonly gatewaySubnetCidr: string;
  /** Node subnet (a literal). */
  public readonly nodeSubnetCidr: string;
  /** Node subnet name (a literal): the internal load balancer frontend goes there. */
  public readonly nodeSubnetName: string;
  /** Fixed private address Kong's internal load balancer must take (a literal). */
  public readonly kongInternalLoadBalancerIp: string;
  /** `<acr>.azurecr.io`. */
  public readonly acrLoginServer: string;
  /** Application Gateway resource id. */
  public readonly applicationGatewayId: string;
  /** Public address of the Application Gateway (the API host name's A record). */
  public readonly applicationGatewayPublicIp: string;
  /** Kong's proxy certificate for the gateway-to-Kong TLS hop (the key is sensitive); undefined when cert-manager issues it. */
  public readonly kongProxyCertificate?: ProxyCertificate;
  /** cert-manager issues Kong's proxy certificate (`azure.edge.backendCertificate.issuer: cert-manager`). */
  public readonly kongProxyCertificateIssuer?: ProxyCertificateIssuer;
  /** Building blocks, for extension and tests. */
  public readonly resourceGroup: ResourceGroup;
  public readonly logAnalytics: LogAnalytics;
  public readonly network: AzureNetwork;
  public readonly aks: HardenedAksCluster;
  public readonly registry: AzureContainerRegistry;
  /** The Terraform-generated backend CAs and Kong key (`backendCertificate.issuer: terraform`). */
  public readonly backendCertificate?: KongBackendCertificate;
  public readonly edge: ApplicationGatewayEdge;

  constructor(scope: Construct, id: string, props: AksClusterStackProps) {
    super(scope, id);
    const problems = aksEnvironmentProblems(props, this.node.path);
    if (problems.length > 0) throw new PropsValidationError(problems);
    const { azure, production, environment } = props;
    const name = `kong-${environment}`;
    const tags = azureTags(environment, id, azure.tags);
    this.location = azure.location;
    this.resourceGroupName = azure.resourceGroupName ?? defaultResourceGroupName(environment);
    this.gatewaySubnetCidr = azure.network.gatewaySubnetCidr;
    this.nodeSubnetCidr = azure.network.nodeSubnetCidr;
    this.kongInternalLoadBalancerIp = azure.edge.kongInternalLoadBalancerIp;

    createAzurermProvider(this);
    if (props.backend) configureBackend(this, id, props.backend);
    const client = new DataAzurermClientConfig(this, 'client', {});

    this.resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: this.resourceGroupName,
      location: azure.location,
      tags,
      lifecycle: { preventDestroy: production },
    });
    const placement = { resourceGroupName: this.resourceGroup.name, location: azure.location, tags };

    this.logAnalytics = new LogAnalytics(this, 'log-analytics', { ...placement, name: `${name}-logs`, retentionDays: azure.logRetentionDays });

    this.network = new AzureNetwork(this, 'network', {
      ...placement,
      name,
      vnetCidr: azure.network.vnetCidr,
      nodeSubnetCidr: azure.network.nodeSubnetCidr,
      gatewaySubnetCidr: azure.network.gatewaySubnetCidr,
      privateEndpointSubnetCidr: azure.network.privateEndpointSubnetCidr,
      kongInternalLoadBalancerIp: azure.edge.kongInternalLoadBalancerIp,
      gatewayIngressCidrs: azure.edge.ingressCidrs,
    });
    this.nodeSubnetName = `${name}-nodes`;

    this.aks = new HardenedAksCluster(this, 'aks', {
      ...placement,
      name,
      tenantId: client.tenantId,
      nodeSubnetId: this.network.nodeSubnet.id,
      logAnalytics: this.logAnalytics,
      kubernetesVersion: azure.kubernetesVersion,
      apiServer: azure.apiServer,
      adminGroupObjectIds: azure.adminGroupObjectIds,
      viewerObjectIds: azure.viewerObjectIds,
      deployerObjectId: azure.bootstrapDeployerAdmin ? client.objectId : undefined,
      availabilityZones: azure.availabilityZones,
      systemNodePool: azure.systemNodePool,
      userNodePools: azure.userNodePools,
      network: {
        dataPlane: azure.network.dataPlane,
        podCidr: azure.network.podCidr,
        serviceCidr: azure.network.serviceCidr,
        dnsServiceIp: azure.network.dnsServiceIp,
      },
      hostEncryption: azure.hostEncryption,
      upgradeChannel: azure.upgradeChannel,
      nodeOsUpgradeChannel: azure.nodeOsUpgradeChannel,
      maintenanceWindow: azure.maintenanceWindow,
      production,
    });

    this.registry = new AzureContainerRegistry(this, 'registry', {
      ...placement,
      name: azure.acr.name,
      privateEndpointSubnetId: this.network.privateEndpointSubnet.id,
      virtualNetworkId: this.network.vnet.id,
      kubeletObjectId: this.aks.kubeletObjectId,
      logAnalytics: this.logAnalytics,
      publicNetworkAccess: azure.acr.publicNetworkAccess,
      allowedIpRanges: azure.acr.allowedIpRanges,
      untaggedRetentionDays: azure.acr.untaggedRetentionDays,
      quarantine: azure.acr.quarantine,
      zoneRedundant: azure.acr.zoneRedundant,
      production,
    });

    const backendHostNames = [...new Set([azure.edge.hostName, ...(props.edgeHostNames ?? [])])];
    // A library caller may build the section by hand, without the schema's default.
    const backend = azure.edge.backendCertificate ?? { issuer: 'terraform' as const };
    if (backend.issuer === 'cert-manager') {
      this.kongProxyCertificateIssuer = {
        issuerName: backend.issuerName,
        issuerKind: backend.issuerKind,
        hostNames: backendHostNames,
        reissueEveryDays: backend.reissueEveryDays,
      };
    } else {
      this.backendCertificate = new KongBackendCertificate(this, 'kong-backend-certificate', { caName: `${name} Kong backend CA`, dnsNames: backendHostNames });
    }
    this.edge = new ApplicationGatewayEdge(this, 'edge', {
      ...placement,
      name,
      hostName: azure.edge.hostName,
      additionalHostNames: props.edgeHostNames,
      subnetId: this.network.gatewaySubnet.id,
      keyVaultId: azure.edge.keyVaultId,
      keyVaultCertificateSecretId: azure.edge.keyVaultCertificateSecretId,
      kongInternalLoadBalancerIp: azure.edge.kongInternalLoadBalancerIp,
      backendCaCertificatePems: this.backendCertificate ? this.backendCertificate.caCertificatePems : backend.issuer === 'cert-manager' ? backend.caCertificatePems : [],
      logAnalytics: this.logAnalytics,
      availabilityZones: azure.availabilityZones,
      minCapacity: azure.edge.minCapacity,
      maxCapacity: azure.edge.maxCapacity,
      rateLimitPerMinute: azure.edge.rateLimitPerMinute,
      production,
    });

    const kubeConfig = this.aks.cluster.kubeConfig.get(0);
    this.clusterName = this.aks.cluster.name;
    this.clusterId = this.aks.cluster.id;
    this.clusterHost = kubeConfig.host;
    this.clusterCaCertificate = kubeConfig.clusterCaCertificate;
    this.oidcIssuerUrl = this.aks.oidcIssuerUrl;
    this.acrLoginServer = this.registry.loginServer;
    this.applicationGatewayId = this.edge.gateway.id;
    this.applicationGatewayPublicIp = this.edge.publicIp.ipAddress;
    if (this.backendCertificate) {
      this.kongProxyCertificate = { certificatePem: this.backendCertificate.certificatePem, privateKeyPem: this.backendCertificate.privateKeyPem };
    }

    const outputs: Array<[string, string, string, boolean?]> = [
      ['cluster_name', this.clusterName, 'AKS cluster name (az aks get-credentials --name ... --resource-group ...)'],
      ['cluster_id', this.clusterId, 'AKS cluster resource id'],
      ['resource_group_name', this.resourceGroup.name, 'Resource group of the environment'],
      ['cluster_host', this.clusterHost, 'Kubernetes API server URL (from the kube config)', true],
      ['cluster_ca_certificate', this.clusterCaCertificate, 'Base64 cluster CA certificate (from the kube config)', true],
      ['oidc_issuer_url', this.oidcIssuerUrl, 'Service account token issuer for workload identity federation'],
      ['acr_login_server', this.acrLoginServer, 'Push the hardened images here (from inside the VNet)'],
      ['application_gateway_id', this.applicationGatewayId, 'Application Gateway WAF_v2 resource id'],
      ['application_gateway_public_ip', this.applicationGatewayPublicIp, 'Public address of the edge: the A record of the API host name'],
      ['kong_internal_load_balancer_ip', this.kongInternalLoadBalancerIp, "Address of Kong's internal load balancer (the gateway backend)"],
      ['gateway_subnet_cidr', this.gatewaySubnetCidr, "Application Gateway subnet (Kong's trusted_ips)"],
    ];
    for (const [outputId, value, description, sensitive] of outputs) {
      new TerraformOutput(this, outputId, { value, description, sensitive: sensitive === true ? true : undefined });
    }
  }
}
