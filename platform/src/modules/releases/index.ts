export { templatesService, type TemplatesService } from './templates.service';
export { templatesRepository } from './templates.repository';
export { packagesRepository } from './packages.repository';
export { mpReleasesRepository } from './mp-releases.repository';
export { codeUploadsRepository } from './code-uploads.repository';
export { bulkReleasesRepository } from './bulk-releases.repository';
export { packagesService, type PackagesService, type PackageSettings } from './packages.service';
export {
  mpReleasesService,
  isTransient,
  reasonOf,
  ReleaseStopped,
  type MpReleasesService,
  type StepOutcome,
} from './mp-releases.service';
export { bulkReleasesService, type BulkReleasesService } from './bulk-releases.service';
export { codeUploadsService, CodeUploadStopped, type CodeUploadsService } from './code-uploads.service';
export { merchantReleaseHandlers, platformReleaseHandlers, wechatEventWebhooks } from './releases.routes';
export { readZip, writeZip } from '../../kernel/zip';
