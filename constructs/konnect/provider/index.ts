export * from './provider-metadata';
export * from './konnect-provider';
export * from './gateway-control-plane';
export * from './data-gateway-control-plane';
export * from './gateway-data-plane-client-certificate';
export * from './gateway-custom-plugin-schema';
