// The catalog API's shapes are the hub's own types (type-only imports: nothing of the
// server reaches the bundle).
export type { Department, Service, FeeItem as Fee } from '../../../services/catalog.ts';
