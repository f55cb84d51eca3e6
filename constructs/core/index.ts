/** Public entry of the core: the add-on contract, values merge and the props error type. */
export * from './platform-add-on';
export { mergeValues } from './values-merge';
export * from './validation';
export * from './kubernetes-version';
export * from './kubernetes-quantities';
export * from './kubernetes-labels';
export * from './certificate-reissue';
