export * from './aws-provider';
export * from './eks-cluster-stack';
export * from './eks-environment';
export * from './state-bucket-stack';
