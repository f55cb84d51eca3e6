import { MeshAddOn } from '../../constructs/mesh/mesh-add-on';
import { jsonSchemaProblems, loadCrdSchemas } from '../support/crd-schema';
import { describeWithHelm } from '../support/helm';
import { MESH_CRD, MESH_JSON_SCHEMA, MTP_CRD, TRAFFIC, addOnProps, deployedStack } from './fixtures';

function deployedCharts() {
  const addOn = new MeshAddOn(addOnProps());
  deployedStack(addOn);
  return { mesh: addOn.policies!.meshChart, permissions: addOn.policies!.permissionsChart };
}

describeWithHelm('generated mesh charts with the real helm binary', (helm) => {
  const crds = loadCrdSchemas(MESH_CRD, MTP_CRD);

  test('both charts pass helm lint --strict', () => {
    const { mesh, permissions } = deployedCharts();
    helm().lint(mesh.chartDirectory);
    helm().lint(permissions.chartDirectory);
  });

  test('the Mesh chart renders one Mesh that validates against the CRD and Mesh.json', () => {
    // GIVEN / WHEN
    const { mesh } = deployedCharts();
    const rendered = helm().template(mesh.chartDirectory, mesh.releaseName, mesh.namespace);
    // THEN
    expect(rendered.map((object) => object.kind)).toEqual(['Mesh']);
    expect(crds.problems(rendered[0])).toEqual([]);
    expect(jsonSchemaProblems(MESH_JSON_SCHEMA, rendered[0].spec, { closeObjects: true })).toEqual([]);
    expect(rendered[0].spec.mtls.backends[0].mode).toBe('STRICT');
  });

  test('the permissions chart renders exactly the generated permissions, each valid against the CRD', () => {
    // GIVEN / WHEN
    const { permissions } = deployedCharts();
    const rendered = helm().template(permissions.chartDirectory, permissions.releaseName, permissions.namespace);
    // THEN
    // helm emits templates in file-name order
    const key = (object: any) => `${object.metadata.namespace}/${object.metadata.name}`;
    const byKey = (objects: any[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));
    expect(byKey(rendered)).toEqual(byKey(permissions.manifests));
    for (const object of rendered) expect({ name: object.metadata.name, problems: crds.problems(object) }).toEqual({ name: object.metadata.name, problems: [] });
    const allows = rendered.reduce((count, object) => count + object.spec.from.length, 0);
    expect(allows).toBe(TRAFFIC.length);
  });
});
