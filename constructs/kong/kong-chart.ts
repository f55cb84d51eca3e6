import * as fs from 'fs';
import { parse } from 'yaml';
import { HelmValues } from '../core/platform-add-on';
import { packagePath } from '../core/package-paths';

/** Which kong chart to install. */
export interface KongChartOptions {
  /** Exact chart version. @default "3.4.1" */
  readonly version?: string;
  /** Chart repository. @default "https://charts.konghq.com" */
  readonly repository?: string;
}

/** The pinned kong chart version the values in this package are checked against. */
export const DEFAULT_KONG_CHART_VERSION = '3.4.1';
export const DEFAULT_KONG_CHART_REPOSITORY = 'https://charts.konghq.com';

const cache = new Map<string, HelmValues>();

/** A base values file from `helm-values/` (layer 2 of docs/helm-values.md). */
export function baseValues(fileName: string): HelmValues {
  let values = cache.get(fileName);
  if (!values) {
    values = (parse(fs.readFileSync(packagePath('helm-values', fileName), 'utf8')) ?? {}) as HelmValues;
    cache.set(fileName, values);
  }
  return values;
}
