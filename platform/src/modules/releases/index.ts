export { templatesService, type TemplatesService } from './templates.service';
export { packagesService, type PackagesService, type PackageSettings } from './packages.service';
export { merchantReleaseHandlers, platformReleaseHandlers } from './releases.routes';
export { readZip, writeZip } from './zip';
