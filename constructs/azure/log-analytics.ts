import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Construct } from '../core/cdktf';
import { AzurePlacement, invalidProp } from './validation';

/** Options of {@link LogAnalytics} that have defaults. */
export interface LogAnalyticsOptions {
  /**
   * Days the workspace keeps data (30-730).
   * @default 365
   */
  readonly retentionDays?: number;
}

/** Props of {@link LogAnalytics}. */
export interface LogAnalyticsProps extends LogAnalyticsOptions, AzurePlacement {
  /** Workspace name (4-63 letters, digits and "-"). */
  readonly name: string;
}

/** What {@link LogAnalytics.sendDiagnostics} ships. */
export interface DiagnosticsOptions {
  /** Resource id whose platform logs are sent. */
  readonly targetResourceId: string;
  /** Log categories (each must exist for the resource type). */
  readonly logCategories: string[];
  /**
   * Also send the `AllMetrics` metric category.
   * @default true
   */
  readonly metrics?: boolean;
}

/**
 * The Log Analytics workspace of an environment: Container Insights, the AKS control-plane
 * logs, the Application Gateway access and firewall logs, the registry's audit events. Only
 * Entra ID (managed identity) ingestion and queries are accepted: no shared workspace keys.
 */
export class LogAnalytics extends Construct {
  public readonly workspace: LogAnalyticsWorkspace;
  /** Workspace resource id. */
  public readonly workspaceId: string;

  constructor(scope: Construct, id: string, props: LogAnalyticsProps) {
    super(scope, id);
    const retention = props.retentionDays ?? 365;
    if (!Number.isInteger(retention) || retention < 30 || retention > 730) invalidProp(this, 'retentionDays', retention, 'use a whole number of days between 30 and 730');
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/.test(props.name)) invalidProp(this, 'name', props.name, 'use 4-63 letters, digits and "-", not starting or ending with "-"');
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'PerGB2018',
      retentionInDays: retention,
      localAuthenticationEnabled: false,
      tags: props.tags,
    });
    this.workspaceId = this.workspace.id;
  }

  /** Sends a resource's platform logs (and metrics) to this workspace, resource-specific tables. */
  public sendDiagnostics(scope: Construct, id: string, options: DiagnosticsOptions): MonitorDiagnosticSetting {
    if (options.logCategories.length === 0) invalidProp(scope, 'logCategories', options.logCategories, 'list at least one log category');
    return new MonitorDiagnosticSetting(scope, id, {
      name: 'to-log-analytics',
      targetResourceId: options.targetResourceId,
      logAnalyticsWorkspaceId: this.workspaceId,
      logAnalyticsDestinationType: 'Dedicated',
      enabledLog: options.logCategories.map((category) => ({ category })),
      enabledMetric: options.metrics === false ? undefined : [{ category: 'AllMetrics' }],
    });
  }
}
