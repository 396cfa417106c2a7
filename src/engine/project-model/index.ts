export { ProjectModel, type Resolved } from './model';
export { extractModuleFacts, dbDriverOfModule } from './extract';
export { buildProjectModel, buildProjectModelAsync, moduleFactsOf, configFactsOf, isModelFile, type BuildStats } from './build';
export type * from './types';
