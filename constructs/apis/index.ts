export * from './api';
export * from './api-add-on';
export * from './certificates';
export * from './consumers';
export * from './plugin-attachments';
export * from './plugin-resources';
export * from './plugins';
export * from './apis-section';
