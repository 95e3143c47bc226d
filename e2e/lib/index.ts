export * from './cli';
export * from './engine';
export * from './files';
export * from './getfileurl';
export * from './instance';
export * from './process';
export * from './server';
export * from './workflows';
