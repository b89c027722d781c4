export * from './errors';
export * from './permissions';
export * from './common';
export * from './auth';
export * from './shop';
export * from './queues';
export * from './endpoint';
export * from './api';
