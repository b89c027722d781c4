export { catalogRepository, type CatalogRepository, type SkuFacts } from './catalog.repository';
export { catalogService, type CatalogService } from './catalog.service';
export { imagesService, type ImagesService } from './images.service';
export { shopCatalogService, type ShopCatalogService } from './shop-catalog.service';
export { importService, type ImportService } from './import.service';
export { merchantCatalogHandlers, shopCatalogHandlers } from './catalog.routes';
export { salesLedger, type SalesLedgerService } from './sales-ledger';
export { stockService, type StockService, type LockedStock } from './stock';
export { scheduleImportSweep } from './catalog.jobs';
