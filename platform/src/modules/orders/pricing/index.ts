export { inStageOrder, pricingPipeline, type PricingPipeline } from './pipeline';
export { allocate, refundUnits, type LineBalance } from './allocate';
export * from './pricing.types';
