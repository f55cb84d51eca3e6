import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironments } from '../../config/load';
import { REPO_ROOT, describeWithHelm } from '../support/helm';
import { ObjectValidator, checkPlatform, synthesizePlatform } from './harness';
const PLUGINS = path.join(REPO_ROOT, 'plugins');
describeWithHelm('dump', (helm) => {
  test('dump', () => {
    const v = new ObjectValidator();
    for (const env of loadEnvironments({ directory: path.join(REPO_ROOT, 'environments'), pluginsDirectory: PLUGINS })) {
      const p = synthesizePlatform(env, PLUGINS);
      const r = checkPlatform(p, helm(), v);
      fs.mkdirSync('/tmp/dump', { recursive: true });
      for (const rr of r.rendered) fs.writeFileSync(`/tmp/dump/${env.name}--${rr.release.name}.json`, JSON.stringify(rr.objects.filter((o) => o.kind !== 'CustomResourceDefinition'), null, 1));
      fs.writeFileSync(`/tmp/dump/${env.name}--stack.json`, JSON.stringify(p.json, null, 1));
    }
  });
});
