export * from './mesh-add-on';
export * from './mesh-control-plane';
export * from './mesh-labels';
export * from './mesh-network-policies';
export * from './mesh-policies';
export * from './mesh-resource';
export * from './traffic-matrix';
export * from './traffic-diagram';
