export * from './manifest-chart';
export * from './render';
