// A library user's cdktf app, in plain JavaScript: it imports the package by its name, the way an
// application does, so Node resolves it through package.json "exports" (a package may refer to
// itself by name). Synthesizes into the folder given as argv[2] and prints what it wrote.
const path = require('path');
const fs = require('fs');
const { App, TerraformStack } = require('cdktf');
const { AdminApiCertificateIssuer, ClusterAccess, ContainerImage, CustomPlugin, DeploymentProfile, KongPlatform } = require('kong-platform');

const outdir = process.argv[2];
// Real sha256 output: KP-K8S-010 refuses typed placeholder digests in production.
const digest = (c) => (c === 'a' ? 'sha256:216ba41f3b1029eff5016f5e6335b87f226cfce22e4a9d82dbdcc6fb92967e8c' : 'sha256:e3eb49bda63820c1ced3f0f5cd893cf32ddb23a672797871c6e1fcf72dacb044');
const app = new App({ outdir });
const stack = new TerraformStack(app, 'payments-platform');
ClusterAccess.fromKubeconfig('/tmp/kubeconfig', 'payments-prod').configureProviders(stack);
new KongPlatform(stack, 'kong', {
  environment: 'payments-prod',
  production: true,
  profile: DeploymentProfile.HA,
  images: {
    gateway: ContainerImage.fromDigest('registry.example.com', 'hardened/kong-gateway', digest('a'), '3.9.1'),
    controller: ContainerImage.fromDigest('registry.example.com', 'hardened/kubernetes-ingress-controller', digest('b'), '3.4.4'),
  },
  applicationNamespaces: [{ name: 'payments' }],
  gateway: { trustedIps: ['10.0.0.0/16'], autoscaling: { minReplicas: 3, maxReplicas: 12 } },
  customPlugins: [CustomPlugin.fromDirectory(path.join(__dirname, '..', '..', 'plugins', 'tenant-header'))],
  adminApiCertificates: AdminApiCertificateIssuer.certManager(),
});
app.synth();
const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'payments-platform', 'cdk.tf.json'), 'utf8'));
process.stdout.write(JSON.stringify({ releases: Object.values(json.resource.helm_release).map((r) => r.name).sort(), entry: require.resolve('kong-platform') }));
