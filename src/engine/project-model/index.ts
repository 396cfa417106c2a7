export { ProjectModel, type Resolved } from './model';
export { extractModuleFacts, dbDriverOfModule } from './extract';
export { buildProjectModel, buildProjectModelAsync, buildProjectModelWith, moduleFactsOf, configFactsOf, isModelFile, type BuildStats } from './build';
export type * from './types';
