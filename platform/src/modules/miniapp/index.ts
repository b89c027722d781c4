export { authorizationsService, type AuthorizationsService, type Authorization } from './authorizations.service';
