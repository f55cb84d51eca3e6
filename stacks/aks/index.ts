export * from './aks-cluster-stack';
export * from './aks-environment';
export * from './azure-provider';
export * from './state-storage-stack';
