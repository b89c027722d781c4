export { sharingRepository, type SharingRepository, type StoredShareCode } from './sharing.repository';
export { sharingService, type SharedProduct, type SharingPorts, type SharingService } from './sharing.service';
export { shopSharingHandlers } from './sharing.routes';
